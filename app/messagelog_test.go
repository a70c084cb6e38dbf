package app

import (
	"archive/zip"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-app/frontdesk/ui"
)

// testDeskMessages is the console's message log over p's state folder, on
// the given clock, the demo's when demo is set.
func testDeskMessages(p Paths, now func() time.Time, logger *slog.Logger, demo *bool, retention time.Duration) *deskMessages {
	return &deskMessages{stateDir: p.StateDir, now: now, logger: logger,
		demo:      func() bool { return *demo },
		retention: func() time.Duration { return retention }}
}

// The message log is personal data: the diagnostics bundle an operator
// mails to IT never carries it, nor does the log file. The state folder is
// the log folder on Linux, so the test puts them together.
func TestMessageLogIsNeverInTheBundleNorTheLog(t *testing.T) {
	p := testPaths(t)
	p.StateDir = p.LogDir
	lg, err := OpenLog(p.LogDir, slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Paths: p, Now: func() time.Time { return now }, Getenv: func(string) string { return "" }, Logger: lg.Logger}
	demo := false
	log := testDeskMessages(p, env.Now, lg.Logger, &demo, 30*24*time.Hour)
	const caller, company, number, text = "Zebulon Quartermaine", "Quokka Holdings", "+39 333 987 6543", "about the ninth parcel"
	ctx := context.Background()
	planted := []ui.TakenMessage{
		{At: now.Add(-time.Hour), For: "Anna Berg", ForEmail: "anna.berg@contoso.com", Caller: caller, Company: company, Number: number, Text: text, Urgent: true, SentVia: ui.SentViaEmail},
		{At: now.AddDate(0, 0, -40), For: "Anna Berg", Caller: caller + " the elder", SentVia: ui.SentViaTeams}, // pruned below
	}
	for _, m := range planted {
		if err := log.Add(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	demo = true
	if err := log.Add(ctx, ui.TakenMessage{At: now, For: "Demo Colleague", Caller: caller + " in the demo", SentVia: ui.SentViaTeams}); err != nil {
		t.Fatal(err)
	}
	demo = false
	// A line a crash tore, so the skipped count is logged too.
	day := filepath.Join(p.StateDir, messagesFolder, now.Format("2006-01-02")+".jsonl")
	f, err := os.OpenFile(day, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"at":"` + now.Format(time.RFC3339) + `","caller":"` + caller + ` torn`)
	f.Close()
	found, err := log.Find(ctx, "zebulon", time.Time{})
	if err != nil || len(found) != 1 || found[0].Caller != caller {
		t.Fatalf("Find = %+v, %v", found, err)
	}
	log.prune(ctx)
	lg.Close()

	logText, err := os.ReadFile(filepath.Join(p.LogDir, LogFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"message log: message kept", "lines that are no message skipped", "past the retention deleted"} {
		if !strings.Contains(string(logText), want) {
			t.Errorf("the log lacks %q:\n%s", want, logText)
		}
	}

	path, err := env.WriteBundle(ctx, BundleInput{})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var bundle strings.Builder
	for _, f := range zr.File {
		bundle.WriteString(f.Name + "\n")
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		bundle.Write(data)
	}
	if !strings.Contains(bundle.String(), "message log: message kept") {
		t.Errorf("the bundle lacks the log it should carry")
	}
	for _, personal := range []string{"Zebulon", "Quartermaine", company, number, "6543", text, "anna.berg", "jsonl", messagesFolder + "/"} {
		if strings.Contains(bundle.String(), personal) {
			t.Errorf("the diagnostics bundle holds %q", personal)
		}
		if strings.Contains(string(logText), personal) {
			t.Errorf("the log file holds %q", personal)
		}
	}
}

// The demo company's messages go to a log of their own: trying the demo
// neither mixes fictional colleagues into the desk's messages nor shows
// the desk's callers on a demo screen.
func TestDemoMessagesAreKeptApart(t *testing.T) {
	p := testPaths(t)
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.Local)
	demo := false
	log := testDeskMessages(p, func() time.Time { return now }, discardLogger(), &demo, 30*24*time.Hour)
	ctx := context.Background()
	if err := log.Add(ctx, ui.TakenMessage{At: now, For: "Anna Berg", Caller: "Real Caller"}); err != nil {
		t.Fatal(err)
	}
	demo = true
	if err := log.Add(ctx, ui.TakenMessage{At: now, For: "Ada Demo", Caller: "Demo Caller"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		demo bool
		want string
	}{{false, "Real Caller"}, {true, "Demo Caller"}} {
		demo = tc.demo
		found, err := log.Find(ctx, "", time.Time{})
		if err != nil || len(found) != 1 || found[0].Caller != tc.want {
			t.Errorf("demo=%v: Find = %+v, %v; want only %s", tc.demo, found, err, tc.want)
		}
	}
	// A message handed over without its time is kept at the time it came.
	demo = false
	if err := log.Add(ctx, ui.TakenMessage{For: "Anna Berg", Caller: "No Time"}); err != nil {
		t.Fatal(err)
	}
	if found, err := log.Find(ctx, "no time", time.Time{}); err != nil || len(found) != 1 || !found[0].At.Equal(now) {
		t.Errorf("a message without its time: %+v, %v", found, err)
	}
	for _, folder := range []string{messagesFolder, demoMessagesFolder} {
		if _, err := os.Stat(filepath.Join(p.StateDir, folder, "2026-12-05.jsonl")); err != nil {
			t.Errorf("%s: %v", folder, err)
		}
	}
}

// A log the operator cannot write is said in a sentence that names the
// folder: the message went out, only its copy is missing.
func TestMessageNotKeptIsSaidInWords(t *testing.T) {
	p := testPaths(t)
	if err := os.MkdirAll(p.StateDir, 0o700); err != nil {
		t.Fatal(err)
	}
	// A file where the folder should be: no mode bit a root test run ignores.
	write(t, filepath.Join(p.StateDir, messagesFolder), "in the way")
	demo := false
	log := testDeskMessages(p, time.Now, discardLogger(), &demo, 30*24*time.Hour)
	err := log.Add(context.Background(), ui.TakenMessage{At: time.Now(), Caller: "x"})
	if err == nil || !strings.Contains(err.Error(), "Check that you may write to") || !strings.Contains(err.Error(), filepath.Join(p.StateDir, messagesFolder)) {
		t.Errorf("Add = %v", err)
	}
	if _, err := log.Find(context.Background(), "", time.Time{}); err == nil || !strings.Contains(err.Error(), "cannot read the message log") {
		t.Errorf("Find = %v", err)
	}
}
