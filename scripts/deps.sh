# Sourced by scripts/demo.sh and scripts/test.sh: makes sure the machine has
# what Frontdesk needs, installing Debian packages when run as root and saying
# exactly what is missing otherwise.

# Fyne (cgo, OpenGL, X11 and Wayland headers).
BUILD_PACKAGES="gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev wayland-protocols"
# End-to-end peers: a virtual display, a real keyring on a session bus, node for the npm peers.
TEST_PACKAGES="xvfb xdotool x11-utils imagemagick gnome-keyring dbus-x11 libsecret-tools"
# Installers (scripts/package.sh): the Windows cross-compiler, wixl and msibuild
# (MSI), osslsigncode (Authenticode), dpkg-shlibdeps (the .deb's Depends), xz.
PACKAGE_PACKAGES="gcc-mingw-w64-x86-64 wixl msitools osslsigncode dpkg-dev xz-utils"
# Installer checks (scripts/package-check.sh): wine runs frontdesk.exe and msiexec.
PACKAGE_TEST_PACKAGES="wine wine64 openssl xvfb xdotool x11-utils imagemagick"
GO_MIN="1.26"
NODE_MIN_MAJOR=20

die() { echo "frontdesk: $*" >&2; exit 1; }

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "frontdesk: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install failed for: ${missing[*]}"
  else
    die "missing Debian packages: ${missing[*]}
  install them with: sudo apt-get install ${missing[*]}
  (or run this command as root and it installs them itself)"
  fi
}

ensure_go() {
  command -v go >/dev/null 2>&1 || die "Go $GO_MIN or newer is needed: https://go.dev/dl/ (then put it on PATH)"
  local v
  v=$(go env GOVERSION | sed 's/^go//')
  printf '%s\n%s\n' "$GO_MIN" "$v" | sort -V -C || die "Go $GO_MIN or newer is needed, found $v"
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then ensure_packages nodejs npm; fi
  fi
  command -v node >/dev/null 2>&1 || die "Node.js $NODE_MIN_MAJOR or newer (with npm) is needed for the end-to-end peers"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge "$NODE_MIN_MAJOR" ] || die "Node.js $NODE_MIN_MAJOR or newer is needed for the end-to-end peers, found $(node --version)"
}

# owner_of PATH: the package that installed a library, whichever of its names
# (symlink, real file; /lib or /usr/lib on a merged-/usr system) dpkg recorded.
owner_of() {
  local p real candidates
  real=$(readlink -f "$1")
  candidates=("$1" "$real" "${1/#\/usr\/lib\//\/lib\/}" "${real/#\/usr\/lib\//\/lib\/}" "/usr$1" "/usr$real")
  for p in "${candidates[@]}"; do
    dpkg -S "$p" 2>/dev/null | head -n1 | cut -d: -f1 | grep . && return 0
  done
  return 0
}
