package app

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// `status` on the demo company at 10:20 on 3 December (Paris): Rosa Berger is
// free and her 1:1 starts at 10:30. The JSON says free_for 10, the table
// "Free for 10 min · then 1:1", the same sentence the window shows; someone
// busy now has free_for null.
func TestStatusFreeFor(t *testing.T) {
	paths := testPaths(t)
	write(t, paths.ConfigFile, "provider = \"demo\"\ntime_zone = \"Europe/Paris\"\n")
	run := func(args ...string) string {
		var stdout, stderr bytes.Buffer
		env := &Env{Stdout: &stdout, Stderr: &stderr, Now: time.Now, Paths: paths, Getenv: func(string) string { return "" }}
		if code := env.run(context.Background(), append([]string{"status", "--at", "2026-12-03T10:20:00+01:00"}, args...)); code != ExitOK && code != ExitPartial {
			t.Fatalf("exit %d; stderr: %s", code, stderr.String())
		}
		return stdout.String()
	}
	var out struct {
		People []struct {
			Email   string `json:"email"`
			Status  string `json:"status"`
			FreeFor *int   `json:"free_for"`
		} `json:"people"`
	}
	if err := json.Unmarshal([]byte(run("--json")), &out); err != nil {
		t.Fatal(err)
	}
	rosaSeen, busySeen := false, false
	for _, p := range out.People {
		switch {
		case p.Email == "rosa.berger@demo.example":
			rosaSeen = true
			if p.FreeFor == nil || *p.FreeFor != 10 {
				t.Errorf("Rosa Berger's free_for = %v, want 10", p.FreeFor)
			}
		case p.Status == "busy":
			busySeen = true
			if p.FreeFor != nil {
				t.Errorf("%s is busy with free_for %d, want null", p.Email, *p.FreeFor)
			}
		}
	}
	if !rosaSeen || !busySeen {
		t.Fatalf("Rosa Berger seen %v, someone busy seen %v", rosaSeen, busySeen)
	}
	var rosa string
	for _, line := range strings.Split(run(), "\n") {
		if strings.HasPrefix(line, "Rosa Berger ") {
			rosa = line
		}
	}
	if !strings.Contains(rosa, "Free for 10 min · then 1:1") {
		t.Errorf("the table says %q, want \"Free for 10 min · then 1:1\"", rosa)
	}
}

// `status --demo --at` tells the demo's Teams notes at --at, as it evaluates
// their calendars there: the note that expires within the hour says 11:00 at
// 10:00, and the one that expired is not shown. Before, the demo's clock was
// the real one, so at any past --at every note showed, expired or not.
func TestStatusDemoNotesFollowAt(t *testing.T) {
	paths := testPaths(t)
	write(t, paths.ConfigFile, "provider = \"demo\"\ntime_zone = \"Europe/Paris\"\n")
	var stdout, stderr bytes.Buffer
	env := &Env{Stdout: &stdout, Stderr: &stderr, Now: time.Now, Paths: paths, Getenv: func(string) string { return "" }}
	if code := env.run(context.Background(), []string{"status", "--json", "--at", "2026-11-23T10:00:00+01:00"}); code != ExitOK && code != ExitPartial {
		t.Fatalf("exit %d; stderr: %s", code, stderr.String())
	}
	var out struct {
		People []struct {
			StatusMessage *struct {
				Text    string  `json:"text"`
				Expires *string `json:"expires"`
			} `json:"status_message"`
		} `json:"people"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	notes := map[string]string{}
	for _, p := range out.People {
		if m := p.StatusMessage; m != nil {
			notes[m.Text] = ""
			if m.Expires != nil {
				notes[m.Text] = *m.Expires
			}
		}
	}
	if notes["Back at 11:00, call my mobile"] != "2026-11-23T11:00:00+01:00" {
		t.Errorf("notes at 10:00: %v; want \"Back at 11:00\" until 11:00", notes)
	}
	for text := range notes {
		if strings.HasPrefix(text, "Running late") {
			t.Errorf("the expired note %q is shown", text)
		}
	}
}
