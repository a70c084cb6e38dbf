package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/ews/ewstest"
)

// ewsEnv is an Env whose EWS password comes from the environment.
func ewsEnv(t *testing.T, paths Paths) (*Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Now: time.Now, Paths: paths,
		Getenv: func(k string) string {
			if k == EWSPasswordEnv {
				return "Summer2026!not-in-any-log"
			}
			return ""
		}}
	return env, &stdout, &stderr
}

// An address configured twice (another case, stray spaces) is one colleague:
// resolved once, asked about once, shown once.
func TestDuplicateAddressesAskedOnce(t *testing.T) {
	docs := ewstest.DocumentedFreeBusyResponses()
	rs := &ewstest.Responder{Version: "Exchange2013_SP1", Handle: func(r *ewstest.Request) ewstest.Answer {
		switch r.Operation {
		case "ResolveNames":
			return ewstest.Answer{Body: ewstest.Fixture("resolvenames-noresults.xml")}
		case "GetMailTips":
			return ewstest.Answer{Body: ewstest.Fixture("getmailtips.xml")}
		}
		return ewstest.Answer{Body: ewstest.AvailabilityFor(r.Mailboxes, map[string]string{
			"dpark@exampledomain.com": docs[0], "jprice@exampledomain.com": docs[1]})}
	}}
	url, caFile := writeResponderCA(t, rs)
	paths := testPaths(t)
	cfg := ewsConfig(url, caFile)
	cfg.People.Group = ""
	cfg.People.Emails = []string{"dpark@exampledomain.com", "jprice@exampledomain.com", " DPark@ExampleDomain.com ", "JPRICE@exampledomain.com"}
	writeConfig(t, paths.ConfigFile, cfg)

	env, stdout, stderr := ewsEnv(t, paths)
	if code := env.run(context.Background(), []string{"status", "--json", "--at", "2006-10-16T07:30:00-07:00"}); code != ExitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	resolved, mailboxes := map[string]int{}, map[string]int{}
	for _, r := range rs.Requests() {
		switch r.Operation {
		case "ResolveNames":
			resolved[strings.ToLower(r.Entry)]++
		case "GetUserAvailability":
			for _, m := range r.Mailboxes {
				mailboxes[strings.ToLower(m)]++
			}
		}
	}
	t.Logf("ResolveNames %v, GetUserAvailability mailboxes %v", resolved, mailboxes)
	if len(resolved) != 2 || resolved["smtp:dpark@exampledomain.com"] != 1 || resolved["smtp:jprice@exampledomain.com"] != 1 {
		t.Errorf("ResolveNames asked %v, want each address once", resolved)
	}
	if len(mailboxes) != 2 || mailboxes["dpark@exampledomain.com"] != 1 || mailboxes["jprice@exampledomain.com"] != 1 {
		t.Errorf("availability asked for %v, want each mailbox once", mailboxes)
	}
	if n := strings.Count(stdout.String(), `"email"`); n != 2 {
		t.Errorf("%d people printed, want 2:\n%s", n, stdout)
	}
}
