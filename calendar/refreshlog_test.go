package calendar

import (
	"errors"
	"fmt"
	"testing"
)

func TestStatusCounts(t *testing.T) {
	people := []*PersonState{{Status: StatusBusy}, {Status: StatusFree}, {Status: StatusBusy}, {Status: StatusUnknown}, {Status: StatusOOF}}
	if got, want := statusCounts(people), "unknown=1 free=1 busy=2 oof=1"; got != want {
		t.Errorf("statusCounts = %q, want %q", got, want)
	}
	if got := statusCounts(nil); got != "" {
		t.Errorf("no people: %q", got)
	}
}

func TestCodeOf(t *testing.T) {
	wrapped := fmt.Errorf("refresh: %w", &Error{Kind: KindAuth, Code: "AADSTS50173"})
	if got := codeOf(wrapped); got != "AADSTS50173" {
		t.Errorf("codeOf = %q", got)
	}
	if got := codeOf(errors.New("plain")); got != "" {
		t.Errorf("codeOf(plain) = %q", got)
	}
}
