#!/usr/bin/env bash
# Measures the console at several sizes of the demo company against a bare
# Fyne window, in one run on one Xvfb, one program at a time:
#   - window s:  from the start until the window is on the screen,
#   - data s:    from the start until the list shows the colleagues: the last
#                change, in the settle, of the list's header and first row
#                (scripts/screenwatch looks every 20 ms),
#   - RSS:       resident memory (VmRSS) SETTLE seconds after the window came,
#   - idle:      CPU while the window sits with the cursor in the search, as %
#                of one core,
#   - CPU/Enter: CPU of one lookup's Enter: a colleague's mail address typed
#                into the search, Enter (which shows them and refreshes them on
#                demand), ENTER_WAIT seconds; less the same lookup without
#                the Enter (another colleague typed, the same wait), so the
#                typing and the focused search's cursor are not counted.
#                ENTERS different colleagues, each asked for once, so each
#                Enter's refresh really runs; one lookup before them is not
#                counted (the first colleague shown builds the details).
#                Printed with its standard error over the ENTERS pairs: at
#                1,000 colleagues an Enter is 5-10 ticks of CPU against a
#                lookup's 35-50, so ask ENTERS=20 or more for a ratio to it.
#   - UI ms:     the longest callback on the window's thread (the bridge's
#                applies of snapshots, a new search index's and the drawing
#                of its list, the choice of a colleague), from the console's
#                own log: during the Enters
#                (the lookups' lines "window busy", which it writes for each
#                callback over 50 ms; "<50" when none) with how many were over
#                50 ms, and over the whole run (the line it writes at exit,
#                the start's first applies included). Printed as wall/CPU ms:
#                the CPU is the UI thread's own in that callback (Linux), so
#                a wall time far above it is the thread waiting for a core.
# and the ratios: RSS against the bare window, CPU per Enter against the
# smallest size measured.
#
# The console runs `frontdesk --demo --demo-people N` with a config whose
# refresh_interval is 1h: the one full refresh at the start, then none during
# the measurement, so what is measured is the Enters and not a polling cycle
# that happens to land among them (polling's own cost is what
# scripts/measure-idle.sh measures). Every colleague's data is then older
# than calendar.SelectionFreshness (15 s) when the Enters come, so each Enter
# asks for one on-demand refresh, as a lookup mid-interval does. The bare
# window is scripts/barewindow, built with the release's flags (no_emoji,
# stripped), so a ratio is Frontdesk's cost over Fyne's own.
#
# Usage: scripts/scale.sh [PEOPLE...]      (default: 1000 5000 50000)
# Env:   FRONTDESK_BIN=path  the binary to measure (else a release build,
#                            scripts/build.sh, into a temp dir)
#        SETTLE=30 IDLE=20 ENTERS=10 ENTER_WAIT=4 (seconds an Enter is given)
#        SCALE_DISPLAY=:N    the Xvfb display (else the first free of :140-:199)
#        SHOTS=dir           keep a screenshot of each program at the end
#        KEEP=1              keep the work directory (logs, polled frames)
set -euo pipefail
cd "$(dirname "$0")/.."
SETTLE=${SETTLE:-30}
IDLE=${IDLE:-20}
ENTERS=${ENTERS:-10}
ENTER_WAIT=${ENTER_WAIT:-4}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 50000)
for tool in Xvfb xdotool go awk; do
	command -v "$tool" >/dev/null || { echo "scale: $tool is needed (scripts/deps.sh TEST_PACKAGES)" >&2; exit 2; }
done

work=$(mktemp -d)
pids=()
cleanup() {
	# The screen's watcher and the programs first, then the X server, each
	# by the pid this script started.
	for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ -n "${KEEP:-}" ]; then echo "scale: logs and frames kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

bin=${FRONTDESK_BIN:-}
if [ -z "$bin" ]; then
	bin=$work/frontdesk
	scripts/build.sh "$bin" # the release build: what operators run
fi
bin=$(realpath "$bin")
go build -trimpath -tags no_emoji -ldflags "-s -w" -o "$work/barewindow" ./scripts/barewindow
go build -o "$work/screenwatch" ./scripts/screenwatch

display=${SCALE_DISPLAY:-}
if [ -z "$display" ]; then
	for d in $(seq 140 199); do
		[ -e "/tmp/.X11-unix/X$d" ] || [ -e "/tmp/.X$d-lock" ] || { display=:$d; break; }
	done
	[ -n "$display" ] || { echo "scale: no free X display in :140-:199 (set SCALE_DISPLAY)" >&2; exit 2; }
fi
export DISPLAY=$display
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X${display#:}" ] || { echo "scale: Xvfb did not start on $display" >&2; cat "$work/xvfb.log" >&2; exit 1; }

hz=$(getconf CLK_TCK)
now() { date +%s.%N; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# The list's header and first row, names only (x 80-300, y 105-210 of the
# window at the screen's corner: there is no window manager). Before the data
# there is no first row; avatars (photos arrive later) and statuses (they
# change by the minute) are outside it.
list_rect=80,105,220,105

# home NAME: a private HOME and config for one program; prints its path.
home() {
	local h=$work/home-$1
	mkdir -p "$h/.config" "$h/.local/state" "$h/.cache"
	printf 'provider = "demo"\nrefresh_interval = "1h"\n' >"$h/config.toml"
	echo "$h"
}

# launch NAME HOME CMD...: starts CMD on the display, waits for its window.
# Sets prog_pid, prog_win, t_start and window_s.
launch() {
	local name=$1 h=$2; shift 2
	t_start=$(now)
	env -u DBUS_SESSION_BUS_ADDRESS -u WAYLAND_DISPLAY HOME="$h" XDG_CONFIG_HOME="$h/.config" \
		XDG_STATE_HOME="$h/.local/state" XDG_CACHE_HOME="$h/.cache" FRONTDESK_CONFIG="$h/config.toml" \
		LANG=C.UTF-8 "$@" >"$work/$name.log" 2>&1 &
	prog_pid=$!
	pids+=("$prog_pid")
	prog_win=""
	for _ in $(seq 1200); do
		prog_win=$(xdotool search --onlyvisible --pid "$prog_pid" 2>/dev/null | tail -1 || true)
		[ -n "$prog_win" ] && break
		kill -0 "$prog_pid" 2>/dev/null || break
		sleep 0.05
	done
	[ -n "$prog_win" ] || { echo "scale: $name opened no window; its log:" >&2; cat "$work/$name.log" >&2; exit 1; }
	window_s=$(awk -v a="$t_start" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}')
}

# stop PID: ends one program this script started and waits for it.
stop() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# idle_ticks PID SECONDS: the CPU ticks PID uses over SECONDS with no input.
idle_ticks() {
	local a
	a=$(ticks "$1")
	sleep "$2"
	echo $(($(ticks "$1") - a))
}

# lookup ADDRESS [KEY]: types ADDRESS into the search in place of what is
# there, waits a second (the search has filtered: typing is not the Enter's
# cost), presses KEY if given, and prints the console's CPU ticks over the
# ENTER_WAIT seconds from then on. Uses $console.
lookup() {
	local a
	xdotool key ctrl+a type --delay 20 "$1"
	sleep 1
	a=$(ticks "$console")
	[ -z "${2:-}" ] || xdotool key "$2"
	sleep "$ENTER_WAIT"
	echo $(($(ticks "$console") - a))
}

shoot() { [ -z "${SHOTS:-}" ] || { mkdir -p "$SHOTS"; import -silent -window root "$SHOTS/$1.png"; }; }

rows=()
uis=()
add_row() { rows+=("$*"); }

# The bare window: its window time, RSS and idle CPU.
h=$(home bare)
launch bare "$h" "$work/barewindow"
echo "scale: bare Fyne window up in ${window_s}s; settling ${SETTLE}s" >&2
bare_pid=$prog_pid bare_window=$window_s
sleep "$SETTLE"
bare_rss=$(rss_kib "$bare_pid")
bare_idle=$(idle_ticks "$bare_pid" "$IDLE")
shoot bare
stop "$bare_pid"
add_row bare "$bare_window" - "$bare_rss" "$bare_idle" - - - - -

for people in "${sizes[@]}"; do
	h=$(home "console-$people")
	# The colleagues to look up: each one's unique mail address up to the @
	# ("ben.holm.1234@" matches nobody else; rooms' do not look like that),
	# spread over the company.
	(env HOME="$h" XDG_CONFIG_HOME="$h/.config" XDG_STATE_HOME="$h/.local/state" XDG_CACHE_HOME="$h/.cache" \
		"$bin" status --json --demo --demo-people "$people" || true) |
		sed -n 's/^ *"email": *"\([a-z]*\.[a-z]*\.[0-9][0-9]*\)@demo\.example".*/\1@/p' >"$work/emails-$people"
	total=$(wc -l <"$work/emails-$people")
	[ "$total" -gt $((2 * ENTERS + 2)) ] || { echo "scale: the $people-person demo has only $total distinct addresses to look up" >&2; exit 1; }
	mapfile -t lookups < <(awk -v n=$((ENTERS + 1)) -v total="$total" 'NR % int(total / n) == 0 && c < n {print; c++}' "$work/emails-$people")
	mapfile -t plain < <(awk -v n=$((ENTERS + 1)) -v total="$total" 'NR % int(total / n) == 1 && c < n {print; c++}' "$work/emails-$people")
	rm -rf "$h/.local/state"/* "$h/.cache"/* # status left its own log and caches: start as a new operator would

	"$work/screenwatch" -rect "$list_rect" >"$work/list-$people" &
	watcher=$!
	pids+=("$watcher")
	launch "console-$people" "$h" "$bin" --demo --demo-people "$people"
	console=$prog_pid win=$prog_win
	echo "scale: console with $people demo people up in ${window_s}s; settling ${SETTLE}s" >&2
	sleep "$SETTLE"
	stop "$watcher"
	rss=$(rss_kib "$console")
	# The data came with the list's last change in the settle.
	data_s=$(awk -v t0="$t_start" 'END { if (NR > 1) printf "%.2f", $1 / 1e9 - t0; else print "-" }' "$work/list-$people")

	# The cursor waits in the search field, as it does for an operator: click
	# into the window, then Ctrl+F; then the idle CPU.
	xdotool mousemove --window "$win" 600 300 click 1 sleep 0.5 key ctrl+f
	sleep 2
	idle=$(idle_ticks "$console" "$IDLE")

	# The log's lines from here on are the Enters' (the first one's too: an
	# operator's first call freezes the window as much as any).
	log=$h/.local/state/frontdesk/frontdesk.log
	log_mark=$(wc -l <"$log")
	# One lookup not counted first: the first colleague shown builds the
	# details once for the day (an operator's first call). Then each lookup
	# with Enter is paired with one without: the same typing, the same wait
	# with the cursor in the search (a focused search animates its cursor
	# until 10 s without a key), and no Enter. The difference is the Enter's.
	lookup "${lookups[0]}" Return >/dev/null
	i=0
	for address in "${lookups[@]:1}"; do
		with=$(lookup "$address" Return)
		i=$((i + 1))
		without=$(lookup "${plain[$i]}")
		echo "$address $with ticks with Enter, ${plain[$i]} $without without" >>"$work/enters-$people"
	done
	# The mean of the pairs' differences, in seconds, and its standard error.
	read -r enter enter_se < <(awk -v hz="$hz" '{ d = ($2 - $7) / hz; n++; sum += d; sq += d * d }
		END { m = sum / n; v = n > 1 ? (sq - n * m * m) / (n - 1) : 0; printf "%.3f %.3f\n", m, sqrt(v > 0 ? v : 0) / sqrt(n) }' "$work/enters-$people")
	shoot "console-$people"
	stop "$console"
	# The longest callback over 50 ms in the Enters and how many there were
	# (the log holds some back on a slow machine and counts them on its next
	# line: slow_not_logged), then the whole run's longest from the last line.
	read -r ui_enters ui_enters_slow ui_enters_what < <(tail -n +$((log_mark + 1)) "$log" | awk '
		/"msg":"window busy: a callback held the UI thread"/ {
			n++
			if (match($0, /"slow_not_logged":[0-9]+/)) n += substr($0, RSTART + 18, RLENGTH - 18)
			match($0, /"ms":[0-9]+/); ms = substr($0, RSTART + 5, RLENGTH - 5) + 0
			match($0, /"what":"[^"]*"/); what = substr($0, RSTART + 8, RLENGTH - 9)
			cpu = match($0, /"cpu_ms":[0-9]+/) ? substr($0, RSTART + 9, RLENGTH - 9) : "?"
			if (ms > max) { max = ms; longest = what; maxcpu = cpu }
		}
		END { if (n) print max "/" maxcpu, n, longest; else print "<50", 0, "-" }')
	read -r ui_run ui_run_what < <(awk '/"msg":"console closed"/ {
			match($0, /"ui_longest_ms":[0-9]+/); ms = substr($0, RSTART + 16, RLENGTH - 16)
			match($0, /"ui_longest":"[^"]*"/); what = substr($0, RSTART + 14, RLENGTH - 15)
			match($0, /"ui_longest_people":[0-9]+/); who = substr($0, RSTART + 20, RLENGTH - 20)
			cpu = match($0, /"ui_longest_cpu_ms":[0-9]+/) ? substr($0, RSTART + 20, RLENGTH - 20) : "?"
			line = ms "/" cpu " " what " (" who " colleagues)"
		}
		END { print (line == "" ? "- (no exit line in the log)" : line) }' "$log")
	uis+=("$people people: longest in the Enters ${ui_enters} ms ($ui_enters_what), over the run $ui_run ms ($ui_run_what)")
	add_row "$people" "$window_s" "$data_s" "$rss" "$idle" "$enter" "$enter_se" "$ui_enters" "$ui_enters_slow" "${ui_run%% *}"
done

printf '%s\n' "${rows[@]}" | awk -v hz="$hz" -v idle_s="$IDLE" -v settle="$SETTLE" -v enters="$ENTERS" '
	{ name[NR] = $1; win[NR] = $2; data[NR] = $3; rss[NR] = $4; idle[NR] = $5; enter[NR] = $6; se[NR] = $7
	  ui_enters[NR] = $8; ui_slow[NR] = $9; ui_run[NR] = $10 }
	END {
		printf "scale measurement (Xvfb, one program at a time; RSS %ds after the window; idle CPU over %ds; CPU per Enter: %d lookups, less the same without Enter)\n", settle, idle_s, enters
		printf "%-26s %8s %8s %9s %9s %8s %15s %11s %16s %10s\n", "", "window s", "data s", "RSS MiB", "RSS/bare", "idle %", "CPU/Enter s", "Enter/" name[2], "UI ms Enters", "UI ms run"
		for (i = 1; i <= NR; i++) {
			label = (name[i] == "bare") ? "bare Fyne window" : "console, " name[i] " people"
			ratio = (enter[i] == "-" || enter[2] <= 0) ? "-" : sprintf("%.2fx", enter[i] / enter[2])
			cpu = (enter[i] == "-") ? "-" : enter[i] " ±" se[i]
			uie = (ui_enters[i] == "-") ? "-" : ui_enters[i] " (" ui_slow[i] " >50)"
			printf "%-26s %8s %8s %9.1f %8.2fx %8.2f %15s %11s %16s %10s\n", label, win[i], data[i], rss[i] / 1024, rss[i] / rss[1], 100 * idle[i] / hz / idle_s, cpu, ratio, uie, ui_run[i]
		}
	}'
printf '%s\n' "${uis[@]}"
