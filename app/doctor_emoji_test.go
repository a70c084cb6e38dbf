package app

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestEmojiFontCheck(t *testing.T) {
	tests := []struct {
		name       string
		families   string
		err        error
		want       CheckStatus
		wantDetail string
	}{
		{"a colour emoji font", "Noto Color Emoji\n", nil, CheckOK, "emoji draw with Noto Color Emoji"},
		{"several, one with two names", "Symbola,Symbola Regular\nNoto Color Emoji\n", nil, CheckOK, "emoji draw with Symbola"},
		{"none", "", nil, CheckWarn, "no font draws emoji"},
		{"no fontconfig", "", &exec.Error{Name: "fc-list", Err: exec.ErrNotFound}, CheckSkip, "fc-list is not installed"},
		{"fc-list timed out", "", context.DeadlineExceeded, CheckSkip, "could not be listed"},
		{"fc-list failed", "", errors.New("exit status 1"), CheckSkip, "could not be listed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := emojiFontResult(tt.families, tt.err)
			if r.Status != tt.want || !strings.Contains(r.Detail, tt.wantDetail) {
				t.Errorf("%s: %q, want %s: %q", r.Status, r.Detail, tt.want, tt.wantDetail)
			}
			if r.Status == CheckWarn && !strings.Contains(r.Action, "fonts-noto-color-emoji") {
				t.Errorf("the warning says no way out: %q", r.Action)
			}
		})
	}
}

// The doctor runs the check with its own timeout and reports what it found.
func TestDoctorReportsAMissingEmojiFont(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the emoji font check is Linux's")
	}
	saved := emojiFontList
	t.Cleanup(func() { emojiFontList = saved })
	emojiFontList = func(ctx context.Context) (string, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("fc-list ran without a deadline")
		}
		return "", nil
	}
	d := &doctor{report: &DoctorReport{}, deadline: time.Now().Add(doctorTotal)}
	d.checkEmojiFont(t.Context())
	if len(d.report.Checks) != 1 || d.report.Checks[0].Name != "emoji font" || d.report.Checks[0].Status != CheckWarn {
		t.Fatalf("checks %+v, want one emoji font warning", d.report.Checks)
	}
}
