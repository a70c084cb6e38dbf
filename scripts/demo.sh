#!/usr/bin/env bash
# Opens the Frontdesk console on the built-in demo company (fictional people,
# labelled DEMO DATA on screen). Installs the build packages when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ensure_go
ensure_packages $BUILD_PACKAGES
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || die "no display: run this from a desktop session (or set DISPLAY)"
mkdir -p bin
echo "frontdesk: building (the first build takes several minutes)" >&2
scripts/build.sh bin/frontdesk
exec ./bin/frontdesk --demo
