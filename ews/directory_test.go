package ews

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

func TestResolveNames(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		want    []calendar.Person
		more    bool
	}{
		{"resolvenames.xml", []calendar.Person{{Name: "User2", Email: "User2@example.com"}}, false},
		// The "more results" warning: results are good, and there are more.
		// The distribution list among them has no calendar and is left out.
		{"resolvenames-multiple.xml", []calendar.Person{{Name: "Dan Park", Email: "dpark@exampledomain.com", Department: "Sales", JobTitle: "Account Executive", Phone: "+1 425 555 0101"}}, true},
		{"resolvenames-noresults.xml", nil, false},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			c, rs := startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture(tc.fixture) })
			res, err := c.ResolveNames(context.Background(), "User2")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.People) != len(tc.want) || res.More != tc.more {
				t.Fatalf("got %+v, want %+v more=%v", res, tc.want, tc.more)
			}
			for i := range tc.want {
				if res.People[i] != tc.want[i] {
					t.Errorf("person %d = %+v, want %+v", i, res.People[i], tc.want[i])
				}
			}
			if r := rs.Requests()[0]; r.Entry != "User2" {
				t.Errorf("UnresolvedEntry %q", r.Entry)
			}
			if !strings.Contains(string(rs.Requests()[0].Body), `SearchScope="ActiveDirectory"`) {
				t.Error("no SearchScope on an Exchange 2013 request")
			}
		})
	}
}

func TestSearchCapsResults(t *testing.T) {
	c, _ := startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture("resolvenames-multiple.xml") })
	src, _ := NewSource(SourceOptions{Client: c})
	got, err := src.Search(context.Background(), "Dan", 1)
	if err != nil || len(got) != 1 || got[0].Email != "dpark@exampledomain.com" {
		t.Fatalf("Search = %+v, %v", got, err)
	}
	if got, err := src.Search(context.Background(), "  ", 10); err != nil || got != nil {
		t.Errorf("blank query: %v %v", got, err)
	}
}

func TestExpandDL(t *testing.T) {
	c, rs := startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture("expanddl.xml") })
	exp, err := c.ExpandDL(context.Background(), "TheDistributionList")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range exp.People {
		names = append(names, p.Name+" <"+p.Email+">")
	}
	if got := strings.Join(names, ", "); got != "Dan Park <dpark@exampledomain.com>, Jeff Price <jprice@exampledomain.com>, Tanja Plate <tplate@exampledomain.com>" || !exp.Complete {
		t.Errorf("members: %s complete=%v", got, exp.Complete)
	}
	if rs.Requests()[0].List != "TheDistributionList" {
		t.Errorf("list sent: %q", rs.Requests()[0].List)
	}

	c, _ = startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture("expanddl-error.xml") })
	_, err = c.ExpandDL(context.Background(), "nobody")
	if calendar.KindOf(err) != calendar.KindConfig {
		t.Errorf("unknown list: %v, want a configuration error", err)
	}
}

func TestSourceDirectory(t *testing.T) {
	t.Run("group", func(t *testing.T) {
		c, rs := startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture("expanddl.xml") })
		src, _ := NewSource(SourceOptions{Client: c, People: People{Group: "sales@exampledomain.com", Emails: []string{"ignored@example.com"}}})
		for range 2 {
			dir, err := src.Directory(context.Background())
			if err != nil || len(dir) != 3 {
				t.Fatalf("Directory = %v, %v", dir, err)
			}
		}
		if n := len(rs.Requests()); n != 1 {
			t.Errorf("%d requests for two Directory calls, want 1 (cached)", n)
		}
	})
	t.Run("emails", func(t *testing.T) {
		c, rs := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
			if strings.EqualFold(r.Entry, "smtp:user2@example.com") {
				return fixture("resolvenames.xml")
			}
			return fixture("resolvenames-noresults.xml")
		})
		src, _ := NewSource(SourceOptions{Client: c, People: People{Emails: []string{"user2@example.com", "ghost@example.com"}}})
		dir, err := src.Directory(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(dir) != 2 || dir[0].Name != "User2" || dir[1].Name != "ghost@example.com" || dir[1].Email != "ghost@example.com" {
			t.Errorf("Directory = %+v", dir)
		}
		if len(rs.Requests()) != 2 {
			t.Errorf("%d requests", len(rs.Requests()))
		}
	})
	t.Run("nothing configured", func(t *testing.T) {
		c, _ := startResponder(t, func(*ewstest.Request) ewstest.Answer { return ewstest.Answer{Status: 500} })
		src, _ := NewSource(SourceOptions{Client: c})
		if _, err := src.Directory(context.Background()); calendar.KindOf(err) != calendar.KindConfig {
			t.Errorf("err = %v, want config", err)
		}
	})
	t.Run("401 stops after one request", func(t *testing.T) {
		c, rs := startResponder(t, func(*ewstest.Request) ewstest.Answer { return ewstest.Answer{Status: 401} })
		src, _ := NewSource(SourceOptions{Client: c, People: People{Emails: []string{"a@example.com", "b@example.com", "c@example.com"}}})
		if _, err := src.Directory(context.Background()); calendar.KindOf(err) != calendar.KindAuth {
			t.Errorf("err = %v, want auth", err)
		}
		if n := len(rs.Requests()); n != 1 {
			t.Errorf("%d requests after a 401, want 1", n)
		}
	})
}

func TestGetMailTips(t *testing.T) {
	c, rs := startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture("getmailtips.xml") })
	tips, err := c.GetMailTips(context.Background(), "user1@contoso.com", []string{"user2@contoso.com"})
	if err != nil {
		t.Fatal(err)
	}
	// The documented answer: automatic replies off (empty message).
	if len(tips) != 1 || tips[0].Email != "user2@contoso.com" || tips[0].Active || tips[0].Err != nil {
		t.Errorf("tips = %+v", tips)
	}
	r := rs.Requests()[0]
	if r.SendingAs != "user1@contoso.com" || strings.Join(r.Recipients, ",") != "user2@contoso.com" {
		t.Errorf("request: sending as %q to %v", r.SendingAs, r.Recipients)
	}

	// More recipients than one call may carry go in batches.
	c, rs = startResponder(t, func(*ewstest.Request) ewstest.Answer { return fixture("getmailtips.xml") })
	many := make([]string, 120)
	for i := range many {
		many[i] = "p" + itoa(i) + "@example.com"
	}
	if _, err := c.GetMailTips(context.Background(), "me@example.com", many); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, r := range rs.Requests() {
		sizes = append(sizes, len(r.Recipients))
	}
	if len(sizes) != 3 || sizes[0] != MaxMailTipsRecipients || sizes[2] != 20 {
		t.Errorf("batches %v", sizes)
	}
}

func TestSourceMergesAutomaticReplies(t *testing.T) {
	docs := ewstest.DocumentedFreeBusyResponses()
	c, rs := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
		if r.Operation == "GetMailTips" {
			return fixture("getmailtips-oof.xml")
		}
		return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{
			"dpark@exampledomain.com": docs[1], "jprice@exampledomain.com": docs[1]})}
	})
	src, _ := NewSource(SourceOptions{Client: c, Location: pacific(t), SendingAs: "frontdesk@exampledomain.com"})
	avail, err := src.Availability(context.Background(), people("dpark@exampledomain.com", "jprice@exampledomain.com"), documentedDay(t))
	if err != nil {
		t.Fatal(err)
	}
	want := "I am at the customer summit until Friday.\nFor urgent matters call Jeff Price."
	if oof := avail[0].OutOfOffice; !oof.Active || oof.Message != want {
		t.Errorf("dpark's reply = %+v", oof)
	}
	if avail[1].OutOfOffice.Active {
		t.Errorf("jprice has no reply: %+v", avail[1].OutOfOffice)
	}
	// Automatic replies on and a free calendar reads as out of office.
	now := at(t, "2006-10-16T11:00:00-07:00")
	if st := calendar.Evaluate(avail[0], now, calendar.DayOf(now, pacific(t))).Status; st != calendar.StatusOOF {
		t.Errorf("dpark at 11:00 = %v, want oof", st)
	}
	if r := rs.Requests()[1]; r.SendingAs != "frontdesk@exampledomain.com" {
		t.Errorf("SendingAs %q", r.SendingAs)
	}
}

func TestMailTipsFailureKeepsFreeBusyUnlessTheServerSaysStop(t *testing.T) {
	docs := ewstest.DocumentedFreeBusyResponses()
	for _, tc := range []struct {
		name     string
		mailTips ewstest.Answer
		wantKind calendar.Kind // KindOther: no error
	}{
		{"version fault", ewstest.Answer{Status: 500, Body: strings.ReplaceAll(ewstest.Fixture("fault-connectioncount.xml"), "ErrorExceededConnectionCount", "ErrorInvalidServerVersion")}, calendar.KindOther},
		{"server error", ewstest.Answer{Status: 502}, calendar.KindOther},
		{"throttled", ewstest.Answer{Status: 500, Body: ewstest.Fixture("fault-serverbusy.xml")}, calendar.KindThrottled},
		{"password rejected", ewstest.Answer{Status: 401}, calendar.KindAuth},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := startResponder(t, func(r *ewstest.Request) ewstest.Answer {
				if r.Operation == "GetMailTips" {
					return tc.mailTips
				}
				return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{"a@example.com": docs[0]})}
			})
			src, _ := NewSource(SourceOptions{Client: c, Location: pacific(t)})
			avail, err := src.Availability(context.Background(), people("a@example.com"), documentedDay(t))
			if tc.wantKind == calendar.KindOther {
				if err != nil || len(avail) != 1 || len(avail[0].Slots) != 3 {
					t.Fatalf("avail %+v err %v", avail, err)
				}
				return
			}
			var ce *calendar.Error
			if !errors.As(err, &ce) || ce.Kind != tc.wantKind {
				t.Fatalf("err = %v, want %v", err, tc.wantKind)
			}
		})
	}
}

func TestHTMLToText(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"  ":               "",
		"Plain text reply": "Plain text reply",
		"<html><head><style>p{}</style></head><body><p>Away&nbsp;until&nbsp;Monday</p><p>Call&amp;ask</p></body></html>": "Away until Monday\nCall&ask",
		"Line one<br>Line two<br/>": "Line one\nLine two",
	} {
		if got := htmlToText(in); got != want {
			t.Errorf("htmlToText(%q) = %q, want %q", in, got, want)
		}
	}
}
