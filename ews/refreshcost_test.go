package ews

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// The cost the budget, Settings and the doctor quote is what Exchange sees:
// one refresh of N colleagues, counted at the server, sends exactly
// RequestsPerRefresh(N) requests, GetMailTips included. For 7 colleagues it
// was quoted as 1 while the server saw 2.
func TestRequestsPerRefreshIsWhatTheServerReceives(t *testing.T) {
	for _, n := range []int{7, 25, 120} {
		t.Run(fmt.Sprintf("%d colleagues", n), func(t *testing.T) {
			docs := ewstest.DocumentedFreeBusyResponses()
			c, rs := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
				if r.Operation == "GetMailTips" {
					return fixture("getmailtips.xml")
				}
				answers := map[string]string{}
				for _, m := range r.Mailboxes {
					answers[strings.ToLower(m)] = docs[0]
				}
				return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, answers)}
			})
			src, err := NewSource(SourceOptions{Client: c, Location: pacific(t), People: People{Group: "x"}})
			if err != nil {
				t.Fatal(err)
			}
			var everyone []calendar.Person
			for i := range n {
				everyone = append(everyone, calendar.Person{Name: fmt.Sprint(i), Email: fmt.Sprintf("person%d@example.com", i)})
			}
			if _, err := calendar.FetchAll(context.Background(), src, everyone, documentedDay(t)); err != nil {
				t.Fatal(err)
			}
			ops := map[string]int{}
			for _, r := range rs.Requests() {
				ops[r.Operation]++
			}
			if ops["GetMailTips"] == 0 {
				t.Fatalf("no GetMailTips sent (%v): the test does not cover automatic replies", ops)
			}
			got := len(rs.Requests())
			if want := calendar.RequestsPerRefresh(src, n); want != got {
				t.Errorf("estimate %d requests a refresh, the server received %d (%v)", want, got, ops)
			}
			t.Logf("%d colleagues: %d requests a refresh (%v)", n, got, ops)
		})
	}
}
