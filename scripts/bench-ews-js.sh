#!/usr/bin/env bash
# Times BenchmarkParse100Mailboxes and ews-javascript-api's own response path
# on the same 100-mailbox GetUserAvailability answer, side by side, and prints
# the ratio per round with its minimum and median.
#
# EWS_JS_DIR names an installed ews-javascript-api 0.15.3, kept outside the
# repository, e.g.:
#   mkdir -p /tmp/ewsjs && (cd /tmp/ewsjs && npm install ews-javascript-api@0.15.3)
#   EWS_JS_DIR=/tmp/ewsjs/node_modules/ews-javascript-api scripts/bench-ews-js.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."

: "${EWS_JS_DIR:?set EWS_JS_DIR to the installed ews-javascript-api package directory}"
rounds=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
xml=$work/getuseravailability-100.xml

go test -c -o "$work/ews.test" ./ews/
ratios=()
for ((r = 1; r <= rounds; r++)); do
	go_ns=$(EWS_BENCH_XML=$xml "$work/ews.test" -test.run '^$' -test.bench '^BenchmarkParse100Mailboxes$' -test.benchtime 2s |
		awk '/^BenchmarkParse100Mailboxes/ {print $3}')
	js_ns=$(EWS_JS_DIR=$EWS_JS_DIR node e2e/bench/ews-js-parse.js "$xml" 100 | awk '{print $2}')
	ratio=$(awk -v j="$js_ns" -v g="$go_ns" 'BEGIN {printf "%.2f", j / g}')
	ratios+=("$ratio")
	printf 'round %d: go %.3f ms/op, ews-javascript-api %.3f ms/op, js/go %sx\n' \
		"$r" "$(awk -v n="$go_ns" 'BEGIN {print n / 1e6}')" "$(awk -v n="$js_ns" 'BEGIN {print n / 1e6}')" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR] = $1} END {
	med = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	printf "js/go over %d rounds: min %.2fx, median %.2fx\n", NR, a[1], med
}'
