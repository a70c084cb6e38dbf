// Command testreport reads `go test -json` on stdin and writes what a person
// reading a CI log needs: each package's ok/FAIL line, the whole output of
// every test that failed or skipped, build errors, and at the end the names of
// the skipped tests and one closing line
//
//	go test: N passed, N failed, N skipped
//
// It exits 1 when a test or a package failed, when the input had no test
// event at all (go test died before running anything), or, with -no-skips,
// when any test skipped: in the test command every peer, display and zone is
// provided, so a skip there hides a check that did not run.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Output     string
	ImportPath string // build-output and build-fail events
}

type testKey struct{ pkg, test string }

type report struct {
	out                       io.Writer
	passed, failed, skipped   int
	skippedNames, failedNames []string
	pkgFailed                 bool
	sawEvent                  bool
	buffered                  map[testKey][]string
}

func newReport(out io.Writer) *report {
	return &report{out: out, buffered: map[testKey][]string{}}
}

func (r *report) handle(e event) {
	r.sawEvent = true
	key := testKey{e.Package, e.Test}
	switch e.Action {
	case "build-output":
		fmt.Fprint(r.out, e.Output)
	case "build-fail":
		r.pkgFailed = true
	case "output":
		if e.Test == "" {
			// Package lines: "ok  pkg 1.2s", "FAIL pkg", a panic outside any test,
			// "testing: warning: no tests to run" and the like. "PASS" alone says nothing.
			if strings.TrimSpace(e.Output) != "PASS" {
				fmt.Fprint(r.out, e.Output)
			}
			return
		}
		r.buffered[key] = append(r.buffered[key], e.Output)
	case "pass":
		if e.Test == "" {
			return
		}
		r.passed++
		delete(r.buffered, key)
	case "fail":
		if e.Test == "" {
			r.pkgFailed = true
			return
		}
		r.failed++
		r.failedNames = append(r.failedNames, e.Package+" "+e.Test)
		r.flush(key)
	case "skip":
		if e.Test == "" {
			return // a package without test files
		}
		r.skipped++
		r.skippedNames = append(r.skippedNames, e.Package+" "+e.Test+skipReason(r.buffered[key]))
		r.flush(key)
	}
}

// flush prints what a finished test wrote, so a failure reads as go test
// prints it without -json.
func (r *report) flush(key testKey) {
	for _, line := range r.buffered[key] {
		fmt.Fprint(r.out, line)
	}
	delete(r.buffered, key)
}

// skipReason is the first line the test logged before skipping (its t.Skip
// message), as " (reason)".
func skipReason(output []string) string {
	for _, line := range output {
		s := strings.TrimSpace(line)
		if s == "" || strings.HasPrefix(s, "=== ") || strings.HasPrefix(s, "--- SKIP") {
			continue
		}
		if i := strings.Index(s, ": "); i > 0 && strings.Contains(s[:i], ".go:") {
			s = s[i+2:]
		}
		return " (" + s + ")"
	}
	return ""
}

// finish writes the skipped tests and the closing line, and says whether the
// run failed.
func (r *report) finish(noSkips bool) (failed bool) {
	// A test still buffered never ended: the binary died (timeout, crash);
	// its output is the evidence.
	var open []testKey
	for k := range r.buffered {
		open = append(open, k)
	}
	sort.Slice(open, func(i, j int) bool {
		return open[i].pkg+" "+open[i].test < open[j].pkg+" "+open[j].test
	})
	for _, k := range open {
		r.flush(k)
	}
	if len(r.failedNames) > 0 {
		fmt.Fprintf(r.out, "\nfailed tests:\n")
		for _, n := range r.failedNames {
			fmt.Fprintf(r.out, "  %s\n", n)
		}
	}
	if len(r.skippedNames) > 0 {
		fmt.Fprintf(r.out, "\nskipped tests:\n")
		for _, n := range r.skippedNames {
			fmt.Fprintf(r.out, "  %s\n", n)
		}
		if noSkips {
			fmt.Fprintf(r.out, "a test skipped in the test command: every peer, display and zone is provided here, so a skip is a check that did not run\n")
		}
	}
	if !r.sawEvent {
		fmt.Fprintf(r.out, "no test ran: go test printed no JSON\n")
	}
	fmt.Fprintf(r.out, "go test: %d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
	return r.failed > 0 || r.pkgFailed || !r.sawEvent || (noSkips && r.skipped > 0)
}

// run reads the events in, passing through any line that is not JSON (go
// test's own errors, such as a bad flag, are plain text).
func run(in io.Reader, out io.Writer, noSkips bool) (failed bool, err error) {
	r := newReport(out)
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(out, "%s\n", line)
			continue
		}
		r.handle(e)
	}
	if err := sc.Err(); err != nil {
		return true, err
	}
	return r.finish(noSkips), nil
}

func main() {
	noSkips := flag.Bool("no-skips", false, "fail the run when any test skips")
	flag.Parse()
	failed, err := run(os.Stdin, os.Stdout, *noSkips)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testreport: %v\n", err)
	}
	if failed || err != nil {
		os.Exit(1)
	}
}
