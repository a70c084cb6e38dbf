package graph

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/frontdesk-app/frontdesk/calendar"
)

// A group named by its address is looked up, then expanded: only enabled users
// with a mailbox count, once each, whatever nested group or page they come in.
func TestGroupMembers(t *testing.T) {
	f := newFakeGraph(t)
	var groupQuery string
	f.handle("GET /groups", func(w http.ResponseWriter, r *http.Request) {
		groupQuery = r.URL.RawQuery
		if got := r.URL.Query().Get("$filter"); got != "mail eq 'front''desk@contoso.com'" {
			writeODataError(w, http.StatusBadRequest, "BadRequest", "filter "+got)
			return
		}
		writeJSON(w, 200, `{"value":[{"id":"g/1","displayName":"Front desk"}]}`)
	})
	var memberPaths []string
	var firstTop string
	f.handle("GET /groups/{id}/transitiveMembers", func(w http.ResponseWriter, r *http.Request) {
		memberPaths = append(memberPaths, r.URL.EscapedPath())
		if r.URL.Query().Get("$skiptoken") == "" {
			firstTop = r.URL.Query().Get("$top")
			writeJSON(w, 200, `{"@odata.nextLink":"`+f.graphURL()+`/groups/g%2F1/transitiveMembers?$skiptoken=2","value":[
				{"@odata.type":"#microsoft.graph.user","id":"1","displayName":"Adele Vance","mail":"AdeleV@contoso.com","businessPhones":["+1 425 555 0109"]},
				{"@odata.type":"#microsoft.graph.group","id":"g2","displayName":"Nested","mail":"nested@contoso.com"},
				{"@odata.type":"#microsoft.graph.user","id":"2","displayName":"Conf Room","mail":"room@contoso.com","accountEnabled":false},
				{"@odata.type":"#microsoft.graph.device","id":"d1","displayName":"Laptop"}]}`)
			return
		}
		writeJSON(w, 200, `{"value":[
			{"@odata.type":"#microsoft.graph.user","id":"1","displayName":"Adele Vance","mail":"AdeleV@contoso.com"},
			{"@odata.type":"#microsoft.graph.user","id":"3","displayName":"Megan Bowen","mail":"MeganB@contoso.com","mobilePhone":"+1 412 555 0110","businessPhones":[]},
			{"@odata.type":"#microsoft.graph.user","id":"4","displayName":"No Mailbox","businessPhones":[]}]}`)
	})
	s := newTestSource(t, f, Options{People: People{Group: "front'desk@contoso.com"}})
	people, err := s.Directory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []calendar.Person{
		{ID: "1", Name: "Adele Vance", Email: "AdeleV@contoso.com", Phone: "+1 425 555 0109"},
		{ID: "3", Name: "Megan Bowen", Email: "MeganB@contoso.com", Phone: "+1 412 555 0110"},
	}
	if len(people) != len(want) {
		t.Fatalf("people = %+v", people)
	}
	for i := range want {
		if people[i] != want[i] {
			t.Errorf("person %d = %+v, want %+v", i, people[i], want[i])
		}
	}
	// A space in a filter goes out as %20: OData does not read "+" as one.
	if strings.Contains(groupQuery, "+") || !strings.Contains(groupQuery, "mail%20eq%20") {
		t.Errorf("group query %q", groupQuery)
	}
	if len(memberPaths) != 2 || memberPaths[0] != "/v1.0/groups/g%2F1/transitiveMembers" {
		t.Errorf("member pages %q", memberPaths)
	}
	// Graph's largest page of members: a group of 1,000 is two pages, not ten.
	if firstTop != "999" {
		t.Errorf("$top = %q, want 999", firstTop)
	}
}
