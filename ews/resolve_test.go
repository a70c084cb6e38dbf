package ews

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar/inflight"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// TestListedAddressesResolvedSideBySide: ResolveNames takes one name a
// request, so the listed addresses are looked up resolveConcurrency at a
// time (the first alone, until the server has taken the password), never
// more (each held by inflight.Counter, so one look-up over the limit is
// seen), and the colleagues come in the configured order.
func TestListedAddressesResolvedSideBySide(t *testing.T) {
	const n = 9
	held := inflight.New(resolveConcurrency)
	c, rs := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
		if r.Operation != "ResolveNames" {
			return ewstest.Answer{Status: 500}
		}
		held.Hold()
		email := strings.TrimPrefix(r.Entry, "smtp:")
		body := strings.ReplaceAll(ewstest.Fixture("resolvenames.xml"), "User2@example.com", email)
		return ewstest.Answer{Body: strings.ReplaceAll(body, "<t:DisplayName>User2</t:DisplayName>", "<t:DisplayName>Name of "+email+"</t:DisplayName>")}
	})
	emails := make([]string, n)
	for i := range emails {
		emails[i] = fmt.Sprintf("p%d@contoso.com", i)
	}
	src, err := NewSource(SourceOptions{Client: c, People: People{Emails: emails}, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := src.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Requests()) != n {
		t.Errorf("%d requests, want one per address (%d)", len(rs.Requests()), n)
	}
	if _, most := held.Counts(); most != resolveConcurrency {
		t.Errorf("at most %d look-ups in flight, want %d", most, resolveConcurrency)
	}
	if len(dir) != n {
		t.Fatalf("%d colleagues, want %d", len(dir), n)
	}
	for i, p := range dir {
		if p.Email != emails[i] || p.Name != "Name of "+emails[i] {
			t.Errorf("colleague %d = %+v, want %s, named", i, p, emails[i])
		}
	}
}

// BenchmarkResolveListed200 looks up 200 listed addresses against a loopback
// Exchange that answers each ResolveNames after 100 ms. x-floor divides the
// time by the least it can take: the first alone (the send gate), then
// rounds of resolveConcurrency.
func BenchmarkResolveListed200(b *testing.B) {
	const n, latency = 200, 100 * time.Millisecond
	c, _ := startResponder(b, func(r *ewstest.Request) ewstest.Answer {
		time.Sleep(latency)
		email := strings.TrimPrefix(r.Entry, "smtp:")
		return ewstest.Answer{Body: strings.ReplaceAll(ewstest.Fixture("resolvenames.xml"), "User2@example.com", email)}
	})
	emails := make([]string, n)
	for i := range emails {
		emails[i] = fmt.Sprintf("p%d@contoso.com", i)
	}
	src, err := NewSource(SourceOptions{Client: c, People: People{Emails: emails}, Location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if _, _, err := src.resolveEmails(context.Background(), emails); err != nil {
			b.Fatal(err)
		}
	}
	perLoad := float64(time.Since(start)) / float64(b.N)
	rounds := 1 + (n-1+resolveConcurrency-1)/resolveConcurrency
	b.ReportMetric(perLoad/float64(time.Millisecond), "ms/load")
	b.ReportMetric(perLoad/float64(time.Duration(rounds)*latency), "x-floor")
}

// TestResolveEndsWithTheCallersReason: when the caller's context ends while
// look-ups are in flight, the listing returns the caller's own reason (the
// context's cause), not the failed look-up that the end caused, and the
// look-ups waiting for a slot are not sent.
func TestResolveEndsWithTheCallersReason(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 16)
	c, rs := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
		if r.Operation != "ResolveNames" {
			return ewstest.Answer{Status: 500}
		}
		if r.Entry != "smtp:p0@contoso.com" { // the first, alone, opens the send gate
			arrived <- struct{}{}
			<-release
		}
		return ewstest.Answer{Body: ewstest.Fixture("resolvenames.xml")}
	})
	t.Cleanup(func() { close(release) }) // before the responder closes
	emails := make([]string, 9)
	for i := range emails {
		emails[i] = fmt.Sprintf("p%d@contoso.com", i)
	}
	src, err := NewSource(SourceOptions{Client: c, People: People{Emails: emails}, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	closed := errors.New("the window was closed")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go func() {
		<-arrived
		cancel(closed)
	}()
	if _, _, err := src.resolveEmails(ctx, emails); err != closed {
		t.Errorf("err = %#v, want the caller's reason %q itself", err, closed)
	}
	if n := len(rs.Requests()); n > 1+resolveConcurrency {
		t.Errorf("%d look-ups sent, want at most %d (the first, then one slot-full)", n, 1+resolveConcurrency)
	}
}
