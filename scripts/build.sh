#!/usr/bin/env bash
# The one release build of Frontdesk. Every binary the scripts make comes from
# here: the test command's bin/frontdesk, the demo's, the idle measurement's
# and both packaged ones (scripts/package.sh), so what is tested is what ships:
#   go build -trimpath -tags no_emoji -ldflags "-s -w -X app.Version=... -X app.Commit=... -X app.BuildDate=..."
# no_emoji leaves out Fyne's bundled 4 MB colour emoji font: Fyne parses it
# once per text style the window uses (regular, bold, italic: 15 MB of the
# 5,000-person console's 45 MB heap) though Frontdesk draws no emoji of its
# own; an emoji in a name or a meeting subject is drawn from the system's
# emoji font, which Fyne looks up only when one is shown.
#
# Usage: scripts/build.sh OUTPUT [LDFLAG...]
#   OUTPUT   where the binary goes
#   LDFLAG   extra linker flags, after the stamp (the Windows build adds
#            -H=windowsgui -linkmode=external -extldflags=resources.o)
# Env:  GOOS, GOARCH, CGO_ENABLED, CC as for go build (default: this machine).
#       FRONTDESK_VERSION, FRONTDESK_COMMIT, FRONTDESK_BUILD_DATE stamp given
#       values (package.sh passes its own, so both binaries carry one date);
#       otherwise they come from release_stamp below. SOURCE_DATE_EPOCH fixes
#       the date.
#
# Sourced (`. scripts/build.sh`), it only defines release_stamp and
# release_size_check for the caller.
set -euo pipefail

# release_stamp: sets version, commit and build_date for this checkout.
# The version is the latest tag vX.Y.Z, else FyneApp.toml's Version; the
# commit is HEAD's (12 hex digits); the date is SOURCE_DATE_EPOCH's, else now.
release_stamp() {
  local tag
  tag=$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)
  if [ -n "$tag" ]; then
    version=${tag#v}
  else
    version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -n1)
  fi
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+~][0-9A-Za-z.~+-]+)?$ ]] ||
    die "version \"$version\" (from ${tag:-FyneApp.toml}) is not X.Y.Z[-suffix]"
  commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
  if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
    build_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
  else
    build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  fi
}

# release_size_check FILE LABEL LIMIT_MB: prints the binary's size and returns
# 1 when it is over the limit. MB are decimal (1 MB = 1,000,000 bytes), as
# the README and scripts/package-check.sh count them.
release_size_check() {
  local file=$1 label=$2 limit_mb=$3 bytes
  bytes=$(stat -c %s "$file")
  awk -v b="$bytes" -v label="$label" -v limit="$limit_mb" 'BEGIN {
    printf "%s release binary: %.1f MB (%.0f bytes; limit %s MB = %.0f bytes)\n", label, b / 1e6, b, limit, limit * 1e6
    if (b > limit * 1e6) {
      printf "size check FAILED: the %s release binary is %.1f MB, over the %s MB limit by %.1f MB\n", label, b / 1e6, limit, (b - limit * 1e6) / 1e6
      exit 1
    }
  }'
}

build_release() {
  local output=${1:?usage: scripts/build.sh OUTPUT [LDFLAG...]}
  shift
  local version commit build_date
  release_stamp
  version=${FRONTDESK_VERSION:-$version}
  commit=${FRONTDESK_COMMIT:-$commit}
  build_date=${FRONTDESK_BUILD_DATE:-$build_date}
  local app=github.com/frontdesk-app/frontdesk/app
  local stamp="-X $app.Version=$version -X $app.Commit=$commit -X $app.BuildDate=$build_date"
  local target
  target=$(go env GOOS)/$(go env GOARCH)
  # Fyne needs cgo on every desktop; say so even when a cross-build inherits
  # CGO_ENABLED=0 from the environment's default.
  CGO_ENABLED=${CGO_ENABLED:-1} go build -trimpath -tags no_emoji -ldflags "-s -w $stamp $*" -o "$output" .
  echo "frontdesk: built $output ($target, Frontdesk $version, commit $commit, $build_date)" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    "" | -h | --help) sed -n '2,23p' "$0"; exit 2 ;;
  esac
  output=$(realpath -m -- "$1") # OUTPUT is relative to where the command runs, not the repository
  shift
  cd "$(dirname "$0")/.."
  . scripts/deps.sh
  ensure_go
  [ "$(go env GOOS)" != linux ] || ensure_packages $BUILD_PACKAGES
  build_release "$output" "$@"
fi
