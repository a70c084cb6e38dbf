#!/usr/bin/env bash
# Builds Frontdesk's installers into dist/:
#   frontdesk_<version>_amd64.deb              Debian/Ubuntu package
#   frontdesk-<version>-linux-amd64.tar.xz     `fyne package` layout with its Makefile
#   frontdesk-<version>-windows-amd64.msi      per-machine MSI (wixl), provisioned by properties
#   SHA256SUMS
# One version for everything: the latest tag vX.Y.Z, else FyneApp.toml's
# Version. It is stamped into both binaries (with the commit and build date),
# the .deb, the MSI and the packaged FyneApp.toml metadata. The build number is
# passed in (--build N, or FRONTDESK_BUILD; default: the commit count) and the
# working tree is never written to: fyne package runs on a copy.
#
# Signing (Authenticode, osslsigncode) of frontdesk.exe and the MSI happens when
#   FRONTDESK_SIGN_PKCS12=/path/cert.p12 FRONTDESK_SIGN_PASSWORD_FILE=/path/password
# are set (FRONTDESK_SIGN_TIMESTAMP_URL adds an RFC 3161 timestamp).
#
# Usage: scripts/package.sh [--build N] [--only deb|tar|msi]...
# The Windows cross-build (cgo with mingw-w64) runs in the background while
# the Linux packages are made; cold it takes about 7 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
. scripts/build.sh # release_stamp; the binaries are built by running it

build_number=${FRONTDESK_BUILD:-}
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build_number=${2:?--build needs a number}; shift 2 ;;
    --only) targets+=("${2:?--only needs deb, tar or msi}"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "package.sh: unknown argument $1 (see --help)" ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(deb tar msi)
wants() { [[ " ${targets[*]} " == *" $1 "* ]]; }

ensure_go
ensure_packages $BUILD_PACKAGES $PACKAGE_PACKAGES

say() { printf '\n=== package: %s (%ss)\n' "$*" "$SECONDS" >&2; }

# --- the version -----------------------------------------------------------
# One stamp for both binaries and every package: scripts/build.sh computes it
# (release_stamp sets version, commit, build_date) and is handed it back.
release_stamp
export FRONTDESK_VERSION=$version FRONTDESK_COMMIT=$commit FRONTDESK_BUILD_DATE=$build_date
numeric=${version%%[-+~]*} # MSI, Windows resources and fyne need X.Y.Z
IFS=. read -r major minor patch <<<"$numeric"
[ -n "$build_number" ] || build_number=$(git rev-list --count HEAD 2>/dev/null || echo 1)
[[ "$build_number" =~ ^[1-9][0-9]*$ ]] || die "build number \"$build_number\" is not a positive integer"
deb_version=${version/-/\~} # 1.2.0-rc1 sorts before 1.2.0 in dpkg only as 1.2.0~rc1
say "Frontdesk $version (build $build_number, commit $commit, $build_date): ${targets[*]}"

work=$(mktemp -d "${TMPDIR:-/tmp}/frontdesk-package.XXXXXX")
winpid=""
cleanup() {
  [ -z "$winpid" ] || kill "$winpid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# What GLFW (Fyne's window driver) dlopens on an X11 or a Wayland desktop.
GLFW_DLOPEN_SONAMES="libX11.so.6 libXcursor.so.1 libXrandr.so.2 libXinerama.so.1 libXi.so.6 libXxf86vm.so.1
  libxkbcommon.so.0 libwayland-cursor.so.0 libwayland-egl.so.1 libEGL.so.1"

mkdir -p "$work/linux" "$work/windows" dist
# Earlier artifacts of the targets built now go (another version's would
# otherwise end up in SHA256SUMS); the others stay.
! wants deb || rm -f dist/frontdesk_*_amd64.deb
! wants tar || rm -f dist/frontdesk-*-linux-amd64.tar.xz
! wants msi || rm -f dist/frontdesk-*-windows-amd64.msi
rm -f dist/SHA256SUMS

# --- Windows: cross-compiled in the background ------------------------------
build_windows() {
  local res="$work/windows/res"
  mkdir -p "$res"
  cp packaging/icons/frontdesk.ico packaging/windows/frontdesk.exe.manifest "$res/"
  sed -e "s/@VERSION_COMMAS@/$major,$minor,$patch,$build_number/" -e "s/@VERSION@/$version/" \
    -e "s/@COMMIT@/$commit/" -e "s/@BUILD_DATE@/$build_date/" \
    packaging/windows/frontdesk.rc.in >"$res/frontdesk.rc"
  (cd "$res" && x86_64-w64-mingw32-windres -O coff -i frontdesk.rc -o resources.o)
  # The resource object goes to the external (mingw) linker directly: no
  # .syso file ever lands in the source tree.
  CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
    scripts/build.sh "$work/windows/frontdesk.exe" -H=windowsgui -linkmode=external "-extldflags=$res/resources.o"
}
if wants msi; then
  command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc missing (apt-get install gcc-mingw-w64-x86-64)"
  say "cross-compiling frontdesk.exe in the background (log: $work/windows/build.log)"
  build_windows >"$work/windows/build.log" 2>&1 &
  winpid=$!
fi

sign() { # sign FILE DESCRIPTION: Authenticode when a certificate is configured
  local file=$1 description=$2
  [ -n "${FRONTDESK_SIGN_PKCS12:-}" ] || return 0
  [ -r "$FRONTDESK_SIGN_PKCS12" ] || die "FRONTDESK_SIGN_PKCS12=$FRONTDESK_SIGN_PKCS12 is not a readable file"
  [ -r "${FRONTDESK_SIGN_PASSWORD_FILE:-}" ] || die "FRONTDESK_SIGN_PASSWORD_FILE must name the certificate's password file"
  local ts=()
  [ -z "${FRONTDESK_SIGN_TIMESTAMP_URL:-}" ] || ts=(-ts "$FRONTDESK_SIGN_TIMESTAMP_URL")
  osslsigncode sign -pkcs12 "$FRONTDESK_SIGN_PKCS12" -readpass "$FRONTDESK_SIGN_PASSWORD_FILE" \
    -h sha256 -n "$description" -i "https://github.com/frontdesk-app/frontdesk" "${ts[@]}" \
    -in "$file" -out "$file.signed" >/dev/null
  mv "$file.signed" "$file"
  echo "signed $(basename "$file")" >&2
}

# --- Linux binary -------------------------------------------------------------
say "building the Linux binary"
GOOS=linux GOARCH=amd64 scripts/build.sh "$work/linux/frontdesk"
built_version=$("$work/linux/frontdesk" version)
[ "${built_version%%$'\n'*}" = "frontdesk $version" ] || die "the Linux binary does not report version $version"

# The desktop entry and the tar.xz both come from fyne package, run on a
# copy of FyneApp.toml with this version and build (fyne package bumps Build
# in the file it reads).
say "fyne package (linux)"
go build -o "$work/fyne" fyne.io/tools/cmd/fyne # pinned in go.mod's tool block
fsrc="$work/fyne-src"
mkdir -p "$fsrc/assets"
sed -e "s/^Version *=.*/Version = \"$numeric\"/" -e "s/^Build *=.*/Build = $build_number/" FyneApp.toml >"$fsrc/FyneApp.toml"
cp assets/icon.png "$fsrc/assets/icon.png"
printf 'package main\n\nfunc main() {}\n' >"$fsrc/main.go" # fyne package wants Go code beside the metadata
(cd "$fsrc" && "$work/fyne" package --os linux --release --name Frontdesk \
  --exe "$work/linux/frontdesk" --app-version "$numeric" --app-build "$build_number" >/dev/null)
# fyne tools 1.7.2's Makefile names the icon without its .png extension, so
# `make install` fails; repack with the name the archive really holds.
mkdir -p "$work/tar" && tar -xJf "$fsrc/Frontdesk.tar.xz" -C "$work/tar"
sed -i 's|share/pixmaps/$(Icon)|share/pixmaps/$(Icon).png|g' "$work/tar/frontdesk/Makefile"
desktop_file=$(find "$work/tar" -name '*.desktop' | head -n1)
[ -n "$desktop_file" ] || die "fyne package wrote no desktop entry"
app_id=$(basename "$desktop_file" .desktop)

if wants tar; then
  tarball="dist/frontdesk-$version-linux-amd64.tar.xz"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@${SOURCE_DATE_EPOCH:-$(date +%s)}" \
    -C "$work/tar" -cJf "$tarball" frontdesk
  say "wrote $tarball"
fi

# --- .deb ---------------------------------------------------------------------
if wants deb; then
  say "building the .deb"
  root="$work/deb/root"
  install -Dm0755 "$work/linux/frontdesk" "$root/usr/bin/frontdesk"
  install -Dm0644 "$desktop_file" "$root/usr/share/applications/$app_id.desktop"
  for size in 16 22 24 32 48 64 128 256 512; do
    install -Dm0644 "packaging/icons/frontdesk-$size.png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png"
  done
  install -Dm0644 assets/icon.svg "$root/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  install -Dm0644 packaging/linux/policy.toml "$root/etc/frontdesk/policy.toml"
  install -Dm0644 packaging/linux/copyright "$root/usr/share/doc/frontdesk/copyright"

  # Depends: the shared libraries the binary really links, as dpkg-shlibdeps
  # resolves them to packages on this machine.
  mkdir -p "$work/deb/shlibs/debian"
  printf 'Source: frontdesk\n\nPackage: frontdesk\nArchitecture: amd64\n' >"$work/deb/shlibs/debian/control"
  depends=$(cd "$work/deb/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/frontdesk" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
  [ -n "$depends" ] || die "dpkg-shlibdeps found no dependencies for the binary"
  # GLFW opens the X11 and Wayland client libraries with dlopen, which
  # dpkg-shlibdeps cannot see: name the packages that hold them here.
  for soname in $GLFW_DLOPEN_SONAMES; do
    path=$(ldconfig -p | awk -v so="$soname" '$1 == so && /x86-64/ && !found { print $NF; found = 1 }')
    [ -n "$path" ] || die "$soname (opened by GLFW at run time) is not installed here"
    owner=$(owner_of "$path")
    [ -n "$owner" ] || die "no package owns $path"
    [[ ", $depends," == *", $owner "* || ", $depends," == *", $owner,"* ]] || depends+=", $owner"
  done

  mkdir -p "$root/DEBIAN"
  echo /etc/frontdesk/policy.toml >"$root/DEBIAN/conffiles"
  installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s/@VERSION@/$deb_version/" -e "s/@DEPENDS@/$depends/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    packaging/linux/control.in >"$root/DEBIAN/control"
  deb="dist/frontdesk_${deb_version}_amd64.deb"
  dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
  say "wrote $deb (Depends: $depends)"
fi

# --- MSI ----------------------------------------------------------------------
if wants msi; then
  say "waiting for the Windows build"
  if ! wait "$winpid"; then
    winpid=""
    cat "$work/windows/build.log" >&2
    die "the Windows cross-build failed"
  fi
  winpid=""
  exe="$work/windows/frontdesk.exe"
  sign "$exe" "Frontdesk"

  msi="dist/frontdesk-$version-windows-amd64.msi"
  packaging/windows/build-msi.sh "$numeric" "$exe" "$work/linux/frontdesk" "$msi"
  sign "$msi" "Frontdesk installer"
  say "wrote $msi"
fi

(cd dist && sha256sum frontdesk_*_amd64.deb frontdesk-*-linux-amd64.tar.xz frontdesk-*-windows-amd64.msi 2>/dev/null >SHA256SUMS) || true
[ -s dist/SHA256SUMS ] || die "no artifact was written"
say "done"
(cd dist && ls -l --block-size=K $(cut -d' ' -f3 SHA256SUMS) SHA256SUMS) >&2
