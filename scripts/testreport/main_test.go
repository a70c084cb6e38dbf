package main

import (
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	const (
		pass = `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:3: quiet on success\n"}
{"Action":"output","Package":"p","Test":"TestA","Output":"--- PASS: TestA (0.00s)\n"}
{"Action":"pass","Package":"p","Test":"TestA"}
`
		fail = `{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:9: got 1, want 2\n"}
{"Action":"output","Package":"p","Test":"TestB","Output":"--- FAIL: TestB (0.00s)\n"}
{"Action":"fail","Package":"p","Test":"TestB"}
{"Action":"output","Package":"p","Output":"FAIL\tp\t0.01s\n"}
{"Action":"fail","Package":"p"}
`
		skip = `{"Action":"run","Package":"q","Test":"TestC"}
{"Action":"output","Package":"q","Test":"TestC","Output":"=== RUN   TestC\n"}
{"Action":"output","Package":"q","Test":"TestC","Output":"    c_test.go:12: needs a zone database\n"}
{"Action":"output","Package":"q","Test":"TestC","Output":"--- SKIP: TestC (0.00s)\n"}
{"Action":"skip","Package":"q","Test":"TestC"}
{"Action":"output","Package":"q","Output":"ok  \tq\t0.01s\n"}
{"Action":"pass","Package":"q"}
`
		noTestFiles = `{"Action":"output","Package":"r","Output":"?   \tr\t[no test files]\n"}
{"Action":"skip","Package":"r"}
`
		buildFail = `{"ImportPath":"s [s.test]","Action":"build-output","Output":"s/x_test.go:3:1: syntax error\n"}
{"ImportPath":"s [s.test]","Action":"build-fail"}
{"Action":"output","Package":"s","Output":"FAIL\ts [build failed]\n"}
{"Action":"fail","Package":"s"}
`
		// The binary died inside TestD (a timeout): no pass or fail event for it.
		died = `{"Action":"run","Package":"t","Test":"TestD"}
{"Action":"output","Package":"t","Test":"TestD","Output":"panic: test timed out after 1s\n"}
{"Action":"output","Package":"t","Output":"FAIL\tt\t1.00s\n"}
{"Action":"fail","Package":"t"}
`
	)
	for _, tc := range []struct {
		name       string
		in         string
		noSkips    bool
		wantFailed bool
		closing    string
		shows      []string
		hides      []string
	}{
		{name: "passes are counted and quiet", in: pass, closing: "go test: 1 passed, 0 failed, 0 skipped",
			shows: nil, hides: []string{"quiet on success"}},
		{name: "a failure shows its output and fails", in: pass + fail, wantFailed: true, closing: "go test: 1 passed, 1 failed, 0 skipped",
			shows: []string{"got 1, want 2", "--- FAIL: TestB", "FAIL\tp", "failed tests:\n  p TestB"}},
		{name: "a skip is listed with its reason", in: pass + skip, closing: "go test: 1 passed, 0 failed, 1 skipped",
			shows: []string{"skipped tests:\n  q TestC (needs a zone database)", "ok  \tq"}},
		{name: "a skip fails the run with -no-skips", in: pass + skip, noSkips: true, wantFailed: true, closing: "go test: 1 passed, 0 failed, 1 skipped",
			shows: []string{"q TestC (needs a zone database)", "a skip is a check that did not run"}},
		{name: "a package without tests is no skip", in: pass + noTestFiles, noSkips: true, closing: "go test: 1 passed, 0 failed, 0 skipped"},
		{name: "a build failure fails the run", in: pass + buildFail, wantFailed: true, closing: "go test: 1 passed, 0 failed, 0 skipped",
			shows: []string{"syntax error", "[build failed]"}},
		{name: "a test that never ended shows its output", in: died, wantFailed: true, closing: "go test: 0 passed, 0 failed, 0 skipped",
			shows: []string{"panic: test timed out"}},
		{name: "plain text passes through", in: "go: unknown flag -foo\n" + pass, closing: "go test: 1 passed, 0 failed, 0 skipped",
			shows: []string{"go: unknown flag -foo"}},
		{name: "no JSON at all fails", in: "", wantFailed: true, closing: "go test: 0 passed, 0 failed, 0 skipped",
			shows: []string{"no test ran"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			failed, err := run(strings.NewReader(tc.in), &out, tc.noSkips)
			if err != nil {
				t.Fatal(err)
			}
			if failed != tc.wantFailed {
				t.Errorf("failed = %v, want %v\n%s", failed, tc.wantFailed, out.String())
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if last := lines[len(lines)-1]; last != tc.closing {
				t.Errorf("closing line %q, want %q", last, tc.closing)
			}
			for _, s := range tc.shows {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range tc.hides {
				if strings.Contains(out.String(), s) {
					t.Errorf("output shows %q:\n%s", s, out.String())
				}
			}
		})
	}
}
