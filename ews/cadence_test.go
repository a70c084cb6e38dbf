package ews

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// companyOf answers ExpandDL with n members (member0@example.com ...),
// GetUserAvailability with a free day for each, GetMailTips with the
// documented tip, and counts the calendar and automatic-reply requests.
type companyOf struct {
	n int

	mu   sync.Mutex
	ops  map[string]int
	tips []int // recipients in each GetMailTips
}

func (c *companyOf) handle(r *ewstest.Request) ewstest.Answer {
	c.mu.Lock()
	c.ops[r.Operation]++
	if r.Operation == "GetMailTips" {
		c.tips = append(c.tips, strings.Count(string(r.Body), "<t:Mailbox>"))
	}
	c.mu.Unlock()
	switch r.Operation {
	case "ExpandDL":
		var b strings.Builder
		for i := range c.n {
			fmt.Fprintf(&b, `<t:Mailbox><t:Name>Member %04d</t:Name><t:EmailAddress>member%d@example.com</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Mailbox>`, i, i)
		}
		body := ewstest.Fixture("expanddl.xml")
		start, end := strings.Index(body, "<t:Mailbox>"), strings.LastIndex(body, "</t:Mailbox>")+len("</t:Mailbox>")
		body = body[:start] + b.String() + body[end:]
		body = strings.Replace(body, `TotalItemsInView="3"`, fmt.Sprintf(`TotalItemsInView="%d"`, c.n), 1)
		return ewstest.Answer{Body: body}
	case "GetUserAvailability":
		free := map[string]string{}
		for _, m := range r.Mailboxes {
			free[strings.ToLower(m)] = ewstest.FreeResponse
		}
		return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, free)}
	case "GetMailTips":
		return fixture("getmailtips-oof.xml")
	}
	return ewstest.Answer{Status: 400}
}

// take returns the counts since the last take.
func (c *companyOf) take() (ops map[string]int, tips []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ops, tips = c.ops, c.tips
	c.ops, c.tips = map[string]int{}, nil
	return ops, tips
}

// An Exchange of 1,000 colleagues refreshed every minute, counted at the
// server: it received 10 GetUserAvailability and 20 GetMailTips a refresh,
// 300 requests in 10 minutes. Now the automatic replies of the selected and
// the watched colleague are asked at every refresh and everyone's at the
// first and every fifth (at most 50 recipients a request), and what the
// engine's plan says 10 minutes cost is what the server counted.
func TestTenRefreshesCostWhatThePlanSays(t *testing.T) {
	company := &companyOf{n: 1000, ops: map[string]int{}}
	meter := calendar.NewRequestMeter(nil)
	c, _ := meteredResponder(t, meter, company.handle)
	src, err := NewSource(SourceOptions{Client: c, Location: pacific(t), People: People{Group: "sales@exampledomain.com"},
		SendingAs: "frontdesk@example.com", Requests: meter})
	if err != nil {
		t.Fatal(err)
	}
	r, err := calendar.NewRefresher(calendar.RefresherOptions{Source: src, Interval: time.Minute, Location: pacific(t),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r.SetSelected("member0@example.com")
	r.SetWatched([]string{"member500@example.com"})
	total := 0
	for n := range 10 {
		if _, err := r.RefreshOnce(context.Background()); err != nil {
			t.Fatalf("refresh %d: %v", n, err)
		}
		ops, tips := company.take()
		wantTips := 1
		if n%calendar.AutoReplyEvery == 0 {
			wantTips = 20
		}
		if ops["GetUserAvailability"] != 10 || ops["GetMailTips"] != wantTips {
			t.Errorf("refresh %d: %d GetUserAvailability and %d GetMailTips, want 10 and %d", n, ops["GetUserAvailability"], ops["GetMailTips"], wantTips)
		}
		for _, k := range tips {
			if k > MaxMailTipsRecipients {
				t.Errorf("refresh %d: a GetMailTips for %d recipients, over %d", n, k, MaxMailTipsRecipients)
			}
		}
		total += ops["GetUserAvailability"] + ops["GetMailTips"]
	}
	cost, plan := r.Plan()
	if plan.Requests != total || total != 10*10+2*20+8*1 {
		t.Errorf("10 refreshes: the server counted %d requests, the plan (%+v) says %d per 10 minutes; want both 148", total, cost, plan.Requests)
	}
	t.Logf("1,000 colleagues, every minute: %d requests a refresh (%d every fifth), %d per 10 minutes counted at the server, plan %d",
		cost.Each, cost.Heaviest(), total, plan.Requests)
}
