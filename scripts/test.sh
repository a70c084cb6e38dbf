#!/usr/bin/env bash
# Runs every Frontdesk test: gofmt, go vet, go test -race over everything
# (unit, fuzz seeds, UI golden files), each fuzz target for a bounded time,
# and the end-to-end tests against real
# peers on 127.0.0.1 (OpenID Provider, Prism, EWS responder, express-ntlm,
# gnome-keyring on a private session bus, the real window under Xvfb).
# The binary is built once, stripped and stamped as it ships (scripts/build.sh),
# and must stay within 45 MB (decimal MB); the npm peers are installed with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
. scripts/build.sh # release_size_check; bin/frontdesk is built by running it
ensure_go
ensure_packages $BUILD_PACKAGES $TEST_PACKAGES
ensure_node

step() { printf '\n=== %s (%ss)\n' "$*" "$SECONDS" >&2; }

# About 15 s per fuzz target: 8 targets cost about 2 minutes (plus building
# each package once with coverage instrumentation).
FUZZ_TIME=${FRONTDESK_FUZZ_TIME:-15s}
# fuzz_target FILE FuzzName fuzzes one target for FUZZ_TIME, its go test -json
# on stdout. Go 1.26's fuzz coordinator can report its own -fuzztime deadline
# as a failure, "context deadline exceeded" with no crasher, when a loaded
# machine keeps a worker from answering in time (golang/go#75804, fixed in
# Go 1.27). Such a run is repeated once; a run that leaves a crasher, or fails
# any other way, is never repeated.
fuzz_target() {
  local pkg out rc=0
  pkg="./$(dirname "$1")"
  out=$(mktemp)
  go test -json -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZ_TIME" "$pkg" >"$out" || rc=$?
  if [ "$rc" -ne 0 ] && grep -q 'context deadline exceeded' "$out" &&
    [ -z "$(git ls-files --others --exclude-standard -- "$pkg/testdata/fuzz/$2" 2>/dev/null)" ]; then
    step "fuzz $2 again: the fuzz coordinator reported its own deadline, with no crasher (golang/go#75804)"
    rc=0
    go test -json -run '^$' -fuzz "^$2\$" -fuzztime "$FUZZ_TIME" "$pkg" >"$out" || rc=$?
  fi
  cat "$out"
  rm -f "$out"
  return "$rc"
}

# fuzz_targets prints "file FuzzName" for every fuzz target in the module.
fuzz_targets() {
  git ls-files '*_test.go' | xargs grep -Ho '^func Fuzz[A-Za-z0-9_]*' | sed 's/:func / /'
}

step "npm ci (end-to-end peers)"
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
[ -z "$unformatted" ] || die "gofmt would change: $unformatted"

step "go vet"
go vet ./...

step "staticcheck (pinned in go.mod's tool block)"
go tool staticcheck ./...

step "build bin/frontdesk once: the release build (scripts/build.sh), which the end-to-end tests run"
mkdir -p bin e2e/out
scripts/build.sh bin/frontdesk

step "size of the release binary (at most 45 MB)"
release_size_check bin/frontdesk "$(go env GOOS)/$(go env GOARCH)" 45 >&2 ||
  die "the release binary is over its budget (README.md, Install); \`go tool nm -size -sort size\` on an unstripped build shows what grew"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

step "start Xvfb"
display=:$((90 + RANDOM % 100))
# -noreset: by default the X server resets each time its last client leaves,
# and a window opening during that reset can find no display ("GLFW: Failed to
# detect any supported platform"); the shutdown test's back-to-back starts hit
# it about once in 150 under load.
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >e2e/out/xvfb.log 2>&1 &
pids+=($!)
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.2; done
xdpyinfo -display "$display" >/dev/null 2>&1 || die "Xvfb did not start (see e2e/out/xvfb.log)"

step "go test -race ./... (with gnome-keyring on a private session bus), then each fuzz target for $FUZZ_TIME"
# C.UTF-8 exists on every Debian; an ungenerated locale makes X input methods drop typed text.
export LANG=C.UTF-8 LC_ALL=C.UTF-8 FRONTDESK_E2E=1 FRONTDESK_BIN="$PWD/bin/frontdesk"
go build -o bin/testreport ./scripts/testreport
# go test -json goes through bin/testreport (scripts/testreport): failures and
# skips read as plain go test output, and the closing line counts every test,
# "go test: N passed, N failed, N skipped". Here every peer, display, keyring
# and zone is provided, so any skip fails the run (-no-skips): a skipped test
# is a check that did not run.
{
  status=0
  # The session bus and the keyring get no DISPLAY: an unlock prompt (gcr-prompter)
  # on the test display would grab the keyboard from the console under test, and a
  # locked keyring must fail at once, not wait for a prompt nobody answers.
  env -u DISPLAY dbus-run-session -- scripts/with-keyring.sh \
    env DISPLAY="$display" go test -json -race -count=1 -timeout 40m ./... || status=$?
  # Every fuzz target beyond its seeds, for a bounded time each. A crasher
  # fails the run and go test leaves its input in the package's
  # testdata/fuzz/<FuzzName>/, to commit with the fix as a regression seed.
  while read -r file target; do
    step "fuzz $target in ./$(dirname "$file") for $FUZZ_TIME"
    fuzz_target "$file" "$target" || status=$?
  done < <(fuzz_targets)
  # A CI machine is a throwaway clone: print each new crasher so it can be
  # committed from the log.
  git ls-files --others --exclude-standard -- '*/testdata/fuzz/*' | while read -r crasher; do
    printf '\nnew fuzz input %s:\n%s\n' "$crasher" "$(cat "$crasher")"
  done
  exit "$status"
} | bin/testreport -no-skips

# The installers are built and checked after the Go tests (the Windows
# cross-build alone takes about 7 minutes cold on 2 cores);
# FRONTDESK_SKIP_PACKAGE_CHECK=1 leaves them out of a local run.
if [ -z "${FRONTDESK_SKIP_PACKAGE_CHECK:-}" ]; then
  step "installers: scripts/package-check.sh (.deb in a throwaway root, tar.xz, MSI tables, wine, signatures)"
  timeout 60m scripts/package-check.sh
fi

step "all tests passed"
