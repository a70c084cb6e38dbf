#!/usr/bin/env bash
# Measures what the console costs while it sits idle, against a bare Fyne window
# in the same run, each on its own Xvfb display:
#   - resident memory (VmRSS) after SETTLE seconds (default 30),
#   - CPU time over the next WINDOW seconds (default 60), as % of one core,
# and prints both with their ratios. The console runs the demo company with
# PEOPLE colleagues (default 5000): frontdesk --demo --demo-people PEOPLE.
#
# Usage: scripts/measure-idle.sh [PEOPLE]
# Env:   SETTLE=30 WINDOW=60 FRONTDESK_BIN=path (else built into a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-5000}
SETTLE=${SETTLE:-30}
WINDOW=${WINDOW:-60}
for tool in Xvfb xdotool go; do
	command -v "$tool" >/dev/null || { echo "measure-idle: $tool is needed" >&2; exit 2; }
done

work=$(mktemp -d)
pids=()
cleanup() {
	# Programs first, then their X servers, each by the pid this script started.
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

bin=${FRONTDESK_BIN:-}
if [ -z "$bin" ]; then
	bin=$work/frontdesk
	scripts/build.sh "$bin" # the release build: what operators run
fi
go build -o "$work/barewindow" ./scripts/barewindow

free_display() {
	local d
	for d in $(seq 140 199); do
		[ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] || { echo ":$d"; return; }
	done
	echo "measure-idle: no free X display" >&2
	exit 2
}

# start NAME CMD...: runs CMD on a fresh Xvfb with a private HOME, waits for its
# window and gives it the input focus (as an operator's click would). Sets
# started_pid and started_display (no subshell: cleanup must see every pid).
start() {
	local name=$1; shift
	local display home
	display=$(free_display)
	Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
	pids+=($!)
	started_display=$display
	for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
	home=$work/home-$name
	mkdir -p "$home"
	env -u DBUS_SESSION_BUS_ADDRESS -u WAYLAND_DISPLAY DISPLAY="$display" HOME="$home" \
		XDG_CONFIG_HOME="$home/.config" XDG_STATE_HOME="$home/.local/state" XDG_CACHE_HOME="$home/.cache" \
		LANG=C.UTF-8 "$@" >"$work/$name.log" 2>&1 &
	local pid=$!
	pids+=("$pid")
	local win=""
	for _ in $(seq 100); do
		win=$(DISPLAY="$display" xdotool search --onlyvisible --pid "$pid" 2>/dev/null | tail -1 || true)
		[ -n "$win" ] && break
		sleep 0.2
	done
	[ -n "$win" ] || { echo "measure-idle: $name opened no window; its log:" >&2; cat "$work/$name.log" >&2; exit 1; }
	DISPLAY="$display" xdotool windowfocus --sync "$win" 2>/dev/null || true
	started_pid=$pid started_window=$win
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

start console "$bin" --demo --demo-people "$PEOPLE"
console=$started_pid console_display=$started_display
# The cursor waits in the search field, as it does for an operator: click into
# the window, then Ctrl+F.
sleep 3
DISPLAY="$console_display" xdotool mousemove --window "$started_window" 600 300 click 1 sleep 0.5 key ctrl+f
start bare "$work/barewindow"
bare=$started_pid
echo "measure-idle: console (pid $console, $PEOPLE demo people) and bare Fyne window (pid $bare) started; settling ${SETTLE}s" >&2
sleep "$SETTLE"
console_rss=$(rss_kib "$console"); bare_rss=$(rss_kib "$bare")
if [ -n "${SHOT:-}" ]; then
	DISPLAY="$console_display" import -window root "$SHOT" # what was measured, to look at
fi
console_t0=$(ticks "$console"); bare_t0=$(ticks "$bare")
echo "measure-idle: measuring CPU over ${WINDOW}s" >&2
sleep "$WINDOW"
console_t1=$(ticks "$console"); bare_t1=$(ticks "$bare")
hz=$(getconf CLK_TCK)

awk -v cr="$console_rss" -v br="$bare_rss" -v c0="$console_t0" -v c1="$console_t1" -v b0="$bare_t0" -v b1="$bare_t1" \
	-v hz="$hz" -v win="$WINDOW" -v people="$PEOPLE" -v settle="$SETTLE" 'BEGIN {
	ccpu = 100 * (c1 - c0) / hz / win; bcpu = 100 * (b1 - b0) / hz / win
	printf "idle measurement (Xvfb, RSS after %ds, CPU over %ds)\n", settle, win
	printf "%-34s %10s %14s\n", "", "RSS MiB", "CPU % of core"
	printf "%-34s %10.1f %14.2f\n", "console, " people " demo people", cr / 1024, ccpu
	printf "%-34s %10.1f %14.2f\n", "bare Fyne window", br / 1024, bcpu
	printf "%-34s %10.2f %14.2f\n", "ratio console / bare", cr / br, (bcpu > 0 ? ccpu / bcpu : 0)
}'
