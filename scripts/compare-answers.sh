#!/usr/bin/env bash
# Usage: scripts/compare-answers.sh OLD_REV [NEW_REV]
#
# Shows that two builds of frontdesk give the same answers: every
# `frontdesk status --json` the end-to-end tests run (Prism's Graph, the
# Entra-like identity server, the EWS responder, the lockout, request-budget,
# canary and keyboard/demo cases) is recorded once with OLD_REV's binary and
# once with NEW_REV's, and the two sets are diffed. Issue 12 rewrote the Graph
# and EWS response decoders; this is how "the answers are identical before
# and after" is checked, and checked again after each later decoder change.
#
# - Each revision's binary is built from a `git worktree add` in a temporary
#   folder (removed afterwards). Without NEW_REV the binary is built from the
#   working tree as it is, uncommitted edits included.
# - The tests are always the CURRENT tree's, compiled once (`go test -c`), so
#   both binaries face exactly the same cases; only FRONTDESK_BIN changes.
#   They run as scripts/test.sh runs them: Xvfb, dbus-run-session,
#   scripts/with-keyring.sh, FRONTDESK_E2E=1, C.UTF-8. A test that fails is
#   reported but does not stop the recording (an old binary may lack
#   something a current test checks); a missing answer shows up in the diff.
# - The harness (recordAnswer in e2e/harness_test.go) writes each answer to
#   FRONTDESK_E2E_ANSWERS_DIR as <Test_subtest>-<n>.json (stdout) and
#   <Test_subtest>-<n>.exit (exit code), n counting status --json calls
#   within one test from 1.
#
# Normalised before the diff, and nothing else (the jq filter below):
# - generated_at: the instant the snapshot was written: always the wall clock.
# - at, last_success, retry_at: replaced only when within a day of
#   generated_at, i.e. when they are the wall clock of this run: "at" of a
#   run without --at, the last good refresh of a run a few seconds earlier in
#   the same profile, and the next retry (now plus a backoff with jitter).
#   The fixed --at instants of the tests (2006, 2019, the demo's day) are kept.
# - Date-times near now inside state_reason, notice and people[].error: the
#   lockout record's "rejected by the server at 2026-12-01T16:31:54+01:00".
#   The rest of each sentence is kept.
# - 127.0.0.1:<port> inside those texts: the test servers listen on free
#   ports chosen at random ("@odata.nextLink points at http://127.0.0.1:43391,
#   not at http://127.0.0.1:40909").
# Statuses, until, next_free, slots, subjects, locations, presence, people,
# states, reasons, errors and exit codes are compared as printed. Cases
# without --at compute them from the wall clock against servers whose
# answers are fixed, so they are stable within a day; the script refuses to
# compare runs that crossed midnight.
#
# Output: "identical: N answers" and exit 0, or the diff and exit 1.
# Everything (binaries' test logs, raw and normalised answers) is kept under
# e2e/out/answers/<old>_vs_<new>/.
# The body is one { } block, so bash reads it whole before running it and an
# edit of this file during a run does not change the run.
{
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/deps.sh
ensure_go
ensure_packages $BUILD_PACKAGES $TEST_PACKAGES jq
ensure_node

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: scripts/compare-answers.sh OLD_REV [NEW_REV]   (NEW_REV: default the working tree)"

# The e2e tests that run `status --json` through runFrontdesk or the auth
# world. A function that calls it and is neither listed here nor a known
# helper stops the script (checked below; the harness's own test of the hook
# is not a case).
tests=(
  TestStatusDemoJSON TestStatusBrokenConfigExits2NamingTheKey
  TestGraphStatusJSONAgainstPrism TestStatusWithSignedInTokenAgainstPrism TestDoctorMicrosoft365
  TestEWSStatusJSON TestEWSWrongPasswordExits3AfterOneRequest TestEWSWithoutPasswordSendsNothing
  TestRejectedPasswordIsSentOnceAcrossProcesses TestCanarySecretsNeverComeOut
  TestDirectoryNextLinkLoopStops TestDirectoryForeignNextLinkGetsNoToken
  TestThousandPersonStatusRequestCount TestUnreadableAnswerSaysSo
  TestKeyboardPathUnderXvfb
)
helpers="demoStatus" # functions, not tests, that run status --json; their callers are listed above
unlisted=$(awk '
  /^func / { fn = $2; sub(/\(.*/, "", fn) }
  /"status"/ && /"--json"/ { print fn }' $(ls e2e/*_test.go | grep -v harness_test.go) | sort -u |
  while read -r t; do [[ " ${tests[*]} $helpers " == *" $t "* ]] || echo "$t"; done)
[ -z "$unlisted" ] || die "these e2e tests run status --json but are not in compare-answers.sh's list: $unlisted"
run_regex="^($(IFS='|'; echo "${tests[*]}"))\$"

resolve() { git rev-parse --verify --quiet "$1^{commit}" || die "not a revision: $1"; }
old_rev=$(resolve "$1")
old_label=$(git rev-parse --short "$old_rev")
if [ $# -eq 2 ]; then
  new_rev=$(resolve "$2")
  new_label=$(git rev-parse --short "$new_rev")
else
  new_rev=""
  new_label="worktree"
fi

tmp=$(mktemp -d /tmp/compare-answers.XXXXXX)
out="$root/e2e/out/answers/${old_label}_vs_${new_label}"
rm -rf "$out"
mkdir -p "$out"
pids=()
worktrees=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for w in "${worktrees[@]}"; do git -C "$root" worktree remove --force "$w" 2>/dev/null || true; done
  git -C "$root" worktree prune 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

step() { printf '=== %s (%ss)\n' "$*" "$SECONDS" >&2; }

# -trimpath keeps the build cache valid across the temporary worktrees'
# different paths, so a revision already built once builds in seconds.
build() { # build REV LABEL: REV empty means the working tree
  local rev=$1 label=$2 src=$root
  if [ -n "$rev" ]; then
    src="$tmp/src-$label"
    git -C "$root" worktree add --quiet --detach "$src" "$rev"
    worktrees+=("$src")
  fi
  step "build frontdesk at $label"
  (cd "$src" && go build -trimpath -o "$tmp/frontdesk-$label" .)
  if [ -n "$rev" ]; then
    git -C "$root" worktree remove --force "$src"
  fi
}
build "$old_rev" "$old_label"
build "$new_rev" "$new_label"

if [ ! -d e2e/node_modules ]; then
  step "npm ci (end-to-end peers)"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

step "compile the current tree's e2e tests"
go test -c -o "$tmp/e2e.test" ./e2e/

# The tests run in a mirror of the tree (symbolic links) whose e2e/out and
# docs/screenshots are scratch folders: the keyboard test writes its
# screenshots to both, and docs/screenshots is tracked.
run="$tmp/run"
mkdir -p "$run/e2e/out" "$run/docs/screenshots"
for f in "$root"/* "$root"/.gitignore; do
  case "${f##*/}" in docs|e2e) ;; *) ln -s "$f" "$run/${f##*/}" ;; esac
done
for f in "$root"/e2e/*; do
  [ "${f##*/}" = out ] || ln -s "$f" "$run/e2e/${f##*/}"
done

step "start Xvfb"
display=:$((100 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >"$out/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.2; done
xdpyinfo -display "$display" >/dev/null 2>&1 || die "Xvfb did not start (see $out/xvfb.log)"

# The zones the cases print in: the tests' TZ, the Exchange and Graph
# configs' time_zone, and UTC.
day() { for z in Europe/Paris America/Los_Angeles UTC; do TZ=$z date +%F; done | tr '\n' ' '; }
started_on=$(day)

record() { # record LABEL: runs the tests with that label's binary
  local label=$1 dir="$out/$2" rc=0
  mkdir -p "$dir/raw"
  step "e2e with the $label binary (${#tests[@]} tests)"
  # The session bus and the keyring get no DISPLAY, as in scripts/test.sh.
  (cd "$run/e2e" && env -u DISPLAY dbus-run-session -- "$root/scripts/with-keyring.sh" \
    env DISPLAY="$display" LANG=C.UTF-8 LC_ALL=C.UTF-8 FRONTDESK_E2E=1 \
    FRONTDESK_BIN="$tmp/frontdesk-$label" FRONTDESK_E2E_ANSWERS_DIR="$dir/raw" \
    "$tmp/e2e.test" -test.count=1 -test.timeout=30m -test.v -test.run "$run_regex") \
    >"$dir/go-test.log" 2>&1 || rc=$?
  local failed
  failed=$(grep -E '^\s*--- FAIL' "$dir/go-test.log" || true)
  if [ "$rc" -ne 0 ] || [ -n "$failed" ]; then
    echo "tests with the $label binary: FAILED (exit $rc; log $dir/go-test.log)"
    [ -z "$failed" ] || echo "$failed"
  else
    echo "tests with the $label binary: all passed"
  fi
  for t in "${tests[@]}"; do
    compgen -G "$dir/raw/$t*.json" >/dev/null || echo "  no answer recorded by $t with the $label binary"
  done
}
record "$old_label" old
record "$new_label" new
[ "$(day)" = "$started_on" ] || die "the runs crossed a midnight in one of the cases' zones: answers without --at are not comparable; run again"

# The filter named in the header, and nothing more. "Near now" is within a
# day of generated_at; both are compared as local date-times, which a zone
# offset moves by at most 14 hours.
normalise_filter=$(cat <<'JQ'
def local_seconds: .[0:19] + "Z" | fromdateiso8601;
(.generated_at | if type == "string" then local_seconds else null end) as $now
| def near_now: $now != null and ((local_seconds - $now) | fabs) < 86400;
  def wall_clock: if type == "string" and near_now then "<wall clock>" else . end;
  def in_text: if type == "string" then
      gsub("(?<t>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))"; .t | wall_clock)
      | gsub("127\\.0\\.0\\.1:[0-9]+"; "127.0.0.1:<port>")
    else . end;
  if has("generated_at") then .generated_at = "<wall clock>" else . end
  | if has("at") then .at |= wall_clock else . end
  | if has("last_success") then .last_success |= wall_clock else . end
  | if has("retry_at") then .retry_at |= wall_clock else . end
  | if has("state_reason") then .state_reason |= in_text else . end
  | if has("notice") then .notice |= in_text else . end
  | if (.people | type) == "array" then .people |= map(if has("error") then .error |= in_text else . end) else . end
JQ
)
normalise() { # normalise DIR
  mkdir -p "$1/normalised"
  local f base
  for f in "$1"/raw/*; do
    [ -e "$f" ] || continue
    base=$(basename "$f")
    if [[ "$base" == *.json ]] && [ -s "$f" ] && jq -e . "$f" >/dev/null 2>&1; then
      jq -S "$normalise_filter" "$f" >"$1/normalised/$base"
    else
      cp "$f" "$1/normalised/$base"
    fi
  done
}
normalise "$out/old"
normalise "$out/new"

answers=$(find "$out/new/normalised" -name '*.json' | wc -l)
[ "$answers" -gt 0 ] || die "no answers were recorded (see $out/new/go-test.log)"
if diff -ru "$out/old/normalised" "$out/new/normalised" >"$out/diff.txt"; then
  echo "identical: $answers answers ($old_label vs $new_label)"
else
  cat "$out/diff.txt"
  echo "DIFFERENT: $old_label vs $new_label ($answers answers from $new_label; diff in $out/diff.txt)"
  exit 1
fi
exit 0
}
