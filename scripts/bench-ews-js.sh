#!/usr/bin/env bash
# Times BenchmarkParse100Mailboxes and ews-javascript-api's own response path
# on the same 100-mailbox GetUserAvailability answer, side by side, and prints
# the ratio per round with its minimum and median.
#
# Usage: scripts/bench-ews-js.sh [rounds]
# ews-javascript-api is the version pinned in e2e/package.json, installed with
# `npm ci` in e2e/ when missing; EWS_JS_DIR names another installed copy.
# Both sides check that they read 100 mailboxes, and the script that they
# read the same number of calendar events, before a round counts.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-3}
if [ -z "${EWS_JS_DIR:-}" ]; then
	EWS_JS_DIR=$PWD/e2e/node_modules/ews-javascript-api
	[ -f "$EWS_JS_DIR/package.json" ] || (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
export EWS_JS_DIR
printf 'ews-javascript-api %s, node %s, go %s\n' \
	"$(node -p 'require(process.argv[1]).version' "$EWS_JS_DIR/package.json")" \
	"$(node --version)" "$(go env GOVERSION)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
xml=$work/getuseravailability-100.xml
mailboxes=100

go test -c -o "$work/ews.test" ./ews/
# metric prints the value before a unit in a benchmark or ews-js-parse.js line.
metric() { awk -v unit="$1" '{for (i = 2; i <= NF; i++) if ($i == unit) print $(i - 1)}'; }
metric_after() { awk -v name="$1" '{for (i = 1; i < NF; i++) if ($i == name) print $(i + 1)}'; }

ratios=()
for ((r = 1; r <= rounds; r++)); do
	go_line=$(EWS_BENCH_XML=$xml "$work/ews.test" -test.run '^$' -test.bench '^BenchmarkParse100Mailboxes$' -test.benchtime 2s |
		grep '^BenchmarkParse100Mailboxes')
	js_line=$(node e2e/bench/ews-js-parse.js "$xml" "$mailboxes" 100)
	go_ns=$(metric ns/op <<<"$go_line")
	js_ns=$(metric_after ns/op <<<"$js_line")
	go_mailboxes=$(metric mailboxes <<<"$go_line")
	go_events=$(metric events <<<"$go_line")
	js_events=$(metric_after events <<<"$js_line")
	if [ "${go_mailboxes%.*}" != "$mailboxes" ] || [ "${go_events%.*}" != "$js_events" ]; then
		echo "the two sides read different answers: go '$go_line', js '$js_line'" >&2
		exit 1
	fi
	ratio=$(awk -v j="$js_ns" -v g="$go_ns" 'BEGIN {printf "%.2f", j / g}')
	ratios+=("$ratio")
	printf 'round %d: go %.3f ms/op, ews-javascript-api %.3f ms/op, js/go %sx (%d mailboxes, %d events each)\n' \
		"$r" "$(awk -v n="$go_ns" 'BEGIN {print n / 1e6}')" "$(awk -v n="$js_ns" 'BEGIN {print n / 1e6}')" \
		"$ratio" "$mailboxes" "$js_events"
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR] = $1} END {
	med = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	printf "js/go over %d rounds: min %.2fx, median %.2fx\n", NR, a[1], med
}'
