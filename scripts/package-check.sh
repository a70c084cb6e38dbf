#!/usr/bin/env bash
# Builds every installer with scripts/package.sh (signed with a throwaway
# self-signed certificate) and checks them as an administrator would meet them:
#   - the tree is as it was (FyneApp.toml's build number not bumped);
#   - .deb: Depends covers every library the binary loads (ldd), dpkg installs
#     it into a throwaway root, the installed `frontdesk version` and
#     `frontdesk status --demo --json` work, remove keeps only the conffile,
#     purge leaves nothing;
#   - tar.xz: the fyne package layout, whose Makefile installs and uninstalls;
#   - MSI: msiinfo shows the exe, the Start menu shortcut, the upgrade code and
#     the property-to-policy mapping; under wine, frontdesk.exe runs `version`
#     and `status --demo --json`, and msiexec installs with properties (policy
#     written), refuses a bad CLIENT_ID, upgrades keeping the policy, and
#     uninstalls leaving nothing;
#   - Authenticode signatures of the exe and the MSI verify.
# Prints the artifact sizes. Called by scripts/test.sh; runs alone too.
# FRONTDESK_PACKAGE_MAX_MB=N fails when an installer is larger than N MB.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ensure_packages $PACKAGE_TEST_PACKAGES

step() { printf '\n=== package-check: %s (%ss)\n' "$*" "$SECONDS" >&2; }
fail() { echo "package-check: FAIL: $*" >&2; exit 1; }
ok() { echo "package-check: ok: $*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/frontdesk-package-check.XXXXXX")
cleanup() {
  [ -z "${WINEPREFIX:-}" ] || timeout 20 wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- a throwaway code-signing certificate -----------------------------------------
step "throwaway code-signing certificate"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Frontdesk package-check (throwaway)" \
  -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=digitalSignature" \
  -keyout "$work/sign.key" -out "$work/sign.pem" 2>/dev/null
head -c 24 /dev/urandom | base64 | tr -d '\n/+=' >"$work/sign.password"
openssl pkcs12 -export -inkey "$work/sign.key" -in "$work/sign.pem" -passout "file:$work/sign.password" \
  -out "$work/sign.p12"

# --- package, and the tree stays as it was ----------------------------------------
tree_state() { git status --porcelain=v1 --untracked-files=all | { grep -v '^?? dist/' || true; } | sort; sha256sum FyneApp.toml; }
tree_state >"$work/tree.before"
step "scripts/package.sh (signed with the throwaway certificate)"
FRONTDESK_SIGN_PKCS12="$work/sign.p12" FRONTDESK_SIGN_PASSWORD_FILE="$work/sign.password" \
  timeout 45m scripts/package.sh
tree_state >"$work/tree.after"
diff "$work/tree.before" "$work/tree.after" >&2 || fail "scripts/package.sh changed the working tree"
ok "working tree and FyneApp.toml unchanged by packaging"

tag=$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)
if [ -n "$tag" ]; then version=${tag#v}; else version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -n1); fi
numeric=${version%%[-+~]*}
IFS=. read -r major minor _ <<<"$numeric"
repo=$PWD
commit=$(git rev-parse --short=12 HEAD)
deb=dist/frontdesk_${version/-/\~}_amd64.deb
tarball=dist/frontdesk-$version-linux-amd64.tar.xz
msi=dist/frontdesk-$version-windows-amd64.msi
for f in "$deb" "$tarball" "$msi" dist/SHA256SUMS; do [ -s "$f" ] || fail "$f missing"; done
(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
ok "artifacts for $version and SHA256SUMS"

# check_version BINARY_COMMAND...: the first line names the version, the
# others the commit, a build date, Go and Fyne.
check_version() {
  local out
  out=$("$@" version | tr -d '\r') || fail "$* version exited non-zero"
  printf '%s\n' "$out" | sed 's/^/    /' >&2
  [ "$(printf '%s\n' "$out" | head -n1)" = "frontdesk $version" ] || fail "$* version: first line is not \"frontdesk $version\""
  grep -qx "commit:  $commit" <<<"$out" || fail "$* version: commit is not $commit"
  grep -Eq '^built:   [0-9]{4}-[0-9]{2}-[0-9]{2}T' <<<"$out" || fail "$* version: no build date"
  grep -Eq '^go:      go1\.' <<<"$out" || fail "$* version: no Go version"
  grep -Eq '^fyne:    v2\.' <<<"$out" || fail "$* version: no Fyne version"
}
# check_demo_status BINARY_COMMAND...: one refresh of the demo company as JSON.
check_demo_status() {
  local json code=0
  json=$("$@" status --demo --json) || code=$?
  # 1 is "some people unknown": the demo company has one on purpose.
  [ "$code" -le 1 ] || fail "$* status --demo --json exited $code"
  STATUS_EXIT=$code python3 -c '
import json, os, sys
snap = json.loads(sys.stdin.read())
assert snap["source"] == "demo", snap["source"]
assert len(snap["people"]) >= 10, len(snap["people"])
assert snap["state"] == ("partial" if os.environ["STATUS_EXIT"] == "1" else "ok"), snap["state"]
print("    %d people, state %s, exit %s" % (len(snap["people"]), snap["state"], os.environ["STATUS_EXIT"]))
' <<<"$json" >&2 || fail "$* status --demo --json printed no demo snapshot"
}

# --- .deb -------------------------------------------------------------------------
step ".deb: control file and Depends"
dpkg-deb -f "$deb" Package Version Architecture Depends | sed 's/^/    /' >&2
[ "$(dpkg-deb -f "$deb" Version)" = "${version/-/\~}" ] || fail ".deb version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
dpkg-deb -x "$deb" "$work/deb-x"
# Every library the binary links (ELF NEEDED, located by ldd) and every
# X11/Wayland library GLFW opens at run time must come from a package
# Depends names.
bin="$work/deb-x/usr/bin/frontdesk"
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
for lib in $needed libX11.so.6 libXcursor.so.1 libXrandr.so.2 libXinerama.so.1 libXi.so.6 libxkbcommon.so.0; do
  path=$(ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 }')
  [ -n "$path" ] || path=$(ldconfig -p | awk -v so="$lib" '$1 == so && /x86-64/ && !found { print $NF; found = 1 }')
  [ -n "$path" ] || fail "$lib is not found on this machine"
  owner=$(owner_of "$path")
  [ -n "$owner" ] || fail "$lib ($path) belongs to no package"
  grep -Eq "(^|[ ,|])$owner( |,|$)" <<<"$depends" || fail "$lib comes from $owner, which Depends does not name"
done
ok "every linked (ldd) and dlopened X11/Wayland library is in Depends: $(wc -w <<<"$needed") linked"
dpkg-deb -c "$deb" >"$work/deb.list"
for f in ./usr/bin/frontdesk ./etc/frontdesk/policy.toml ./usr/share/icons/hicolor/scalable/apps/io.frontdesk.console.svg \
  ./usr/share/applications/io.frontdesk.console.desktop; do
  grep -q " $f\$" "$work/deb.list" || fail ".deb lacks $f"
done
for size in 16 22 24 32 48 64 128 256 512; do
  grep -q " ./usr/share/icons/hicolor/${size}x${size}/apps/io.frontdesk.console.png\$" "$work/deb.list" || fail ".deb lacks the ${size}px icon"
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/frontdesk/policy.toml || fail "policy.toml is not a conffile"
python3 -c '
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    keys = tomllib.load(f)
assert keys == {}, "the template sets %s" % keys
' "$work/deb-x/etc/frontdesk/policy.toml" || fail "the policy template must parse and set nothing"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$work/deb-x/usr/share/applications/io.frontdesk.console.desktop" || fail "desktop entry invalid"
fi
ok "binary, desktop entry, hicolor icons, commented-out policy conffile"

step ".deb: dpkg install, run, remove, purge in a throwaway root"
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
# The root has no libc6 or libGL recorded: dependencies are the host's (and
# were checked above), so only they are forced.
dpkg --root="$root" --force-depends --force-script-chrootless -i "$deb" >"$work/dpkg.log" 2>&1 ||
  { cat "$work/dpkg.log" >&2; fail "dpkg -i into the throwaway root"; }
home="$work/home"
mkdir -p "$home"
run_installed() { env HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_STATE_HOME="$home/.local/state" "$root/usr/bin/frontdesk" "$@"; }
check_version run_installed
check_demo_status run_installed
dpkg --root="$root" --force-script-chrootless -r frontdesk >>"$work/dpkg.log" 2>&1 || fail "dpkg -r"
left=$(cd "$root" && find . -path ./var/lib/dpkg -prune -o \( -type f -o -type l \) -print | sort)
[ "$left" = "./etc/frontdesk/policy.toml" ] || fail "after remove, expected only the conffile, found: $left"
dpkg --root="$root" --force-script-chrootless -P frontdesk >>"$work/dpkg.log" 2>&1 || fail "dpkg -P"
left=$(cd "$root" && find . -mindepth 1 -path ./var/lib/dpkg -prune -o -print | grep -vx -e ./var -e ./var/lib | sort || true)
[ -z "$left" ] || fail "after purge, left behind: $left"
ok "installed binary runs; remove keeps /etc/frontdesk/policy.toml; purge leaves nothing"

# --- tar.xz -----------------------------------------------------------------------
step "tar.xz: fyne package layout and its Makefile"
mkdir -p "$work/tar"
tar -xJf "$tarball" -C "$work/tar"
for f in frontdesk/Makefile frontdesk/usr/local/bin/frontdesk frontdesk/usr/local/share/applications/io.frontdesk.console.desktop \
  frontdesk/usr/local/share/pixmaps/io.frontdesk.console.png; do
  [ -e "$work/tar/$f" ] || fail "tar.xz lacks $f"
done
make -s -C "$work/tar/frontdesk" install DESTDIR="$work/tar-dest" PREFIX=/usr >&2 || fail "make install from the tar.xz"
[ -x "$work/tar-dest/usr/bin/frontdesk" ] || fail "make install put no binary in /usr/bin"
check_version "$work/tar-dest/usr/bin/frontdesk"
make -s -C "$work/tar/frontdesk" uninstall DESTDIR="$work/tar-dest" PREFIX=/usr >&2
[ -z "$(find "$work/tar-dest" -type f)" ] || fail "make uninstall left files: $(find "$work/tar-dest" -type f)"
ok "make install / uninstall"

# --- MSI tables -------------------------------------------------------------------
step "MSI: tables"
export_table() { msiinfo export "$msi" "$1" | tr -d '\r' | tail -n +4; }
upgrade_code=$(sed -n 's/.*UpgradeCode="\([0-9a-fA-F-]*\)".*/\1/p' packaging/windows/frontdesk.wxs)
[ -n "$upgrade_code" ] || fail "no UpgradeCode in packaging/windows/frontdesk.wxs"
prop() { export_table Property | awk -F'\t' -v k="$1" '$1 == k { print $2 }'; }
[ "$(prop ProductVersion)" = "$numeric" ] || fail "ProductVersion $(prop ProductVersion), want $numeric"
[ "$(prop UpgradeCode | tr a-z A-Z)" = "{$(tr a-z A-Z <<<"$upgrade_code")}" ] || fail "UpgradeCode $(prop UpgradeCode)"
[ "$(prop ALLUSERS)" = 1 ] || fail "not a per-machine package (ALLUSERS)"
export_table Upgrade | grep -qi "{$upgrade_code}.*WIX_UPGRADE_DETECTED" || fail "no Upgrade row for older versions"
export_table File | awk -F'\t' '$1 == "frontdesk.exe" && $3 == "frontdesk.exe"' | grep -q . || fail "File table lacks frontdesk.exe"
export_table Directory | grep -qP '^INSTALLDIR\tProgramFiles64Folder\tFrontdesk$' || fail "not installed in Program Files\\Frontdesk"
export_table Shortcut | awk -F'\t' '$2 == "ProgramMenuFolder" && $3 == "Frontdesk" && $5 == "[#frontdesk.exe]"' | grep -q . ||
  fail "no Start menu shortcut to frontdesk.exe"
write_policy=$(export_table CustomAction | awk -F'\t' '$1 == "WritePolicy" { print $2 "\t" $3 "\t" $4 }')
IFS=$'\t' read -r ca_type ca_source ca_target <<<"$write_policy"
[ "$ca_source" = frontdesk.exe ] || fail "WritePolicy does not run the installed frontdesk.exe"
# 18 (exe from an installed file) + 0x400 deferred + 0x800 not impersonated: runs as SYSTEM.
[ $((ca_type & 0xC3F)) = $((18 | 0x400 | 0x800)) ] || fail "WritePolicy type $ca_type is not a deferred, elevated exe custom action"
secure=$(prop SecureCustomProperties)
mapping=$({ "$work/deb-x/usr/bin/frontdesk" write-policy -h 2>&1 || true; } |
  awk '/^  -[a-z-]+ string/ { flag=substr($1, 2) } /\(MSI property [A-Z_]+\)/ { match($0, /MSI property [A-Z_]+/); print flag, substr($0, RSTART+13, RLENGTH-13) }')
[ "$(wc -l <<<"$mapping")" -eq 7 ] || fail "write-policy should name 7 MSI properties: $mapping"
for p in TENANT CLIENT_ID CLOUD PROVIDER EWS_URL EWS_VERSION REFRESH_INTERVAL; do
  flag=$(awk -v p="$p" '$2 == p { print $1 }' <<<"$mapping")
  [ -n "$flag" ] || fail "write-policy has no flag for $p"
  grep -qF -- "--$flag=\"[$p]\"" <<<"$ca_target" || fail "WritePolicy does not pass $p as --$flag"
  grep -q "\(^\|;\)$p\(;\|$\)" <<<"$secure" || fail "$p is not a secure property: the elevated part would not see it"
done
grep -qF -- '--file="[CommonAppDataFolder]Frontdesk\policy.toml"' <<<"$ca_target" || fail "WritePolicy does not write %ProgramData%\\Frontdesk\\policy.toml"
seq_of() { export_table InstallExecuteSequence | awk -F'\t' -v a="$1" '$1 == a { print $3 }'; }
[ "$(seq_of InstallFiles)" -lt "$(seq_of WritePolicy)" ] && [ "$(seq_of WritePolicy)" -lt "$(seq_of InstallFinalize)" ] ||
  fail "WritePolicy must run after InstallFiles, inside the script"
[ "$(seq_of InstallValidate)" -lt "$(seq_of RemoveExistingProducts)" ] && [ "$(seq_of RemoveExistingProducts)" -lt "$(seq_of InstallInitialize)" ] ||
  fail "RemoveExistingProducts must sit between InstallValidate and InstallInitialize"
export_table InstallExecuteSequence | awk -F'\t' '$1 == "RemovePolicy"' | grep -q 'NOT UPGRADINGPRODUCTCODE' ||
  fail "RemovePolicy must skip upgrades"
echo "    WritePolicy: $ca_target" >&2
ok "exe, Start menu shortcut, upgrade code $upgrade_code, per-machine, 7 properties -> policy.toml"

# --- Authenticode -----------------------------------------------------------------
step "Authenticode signatures"
msiextract -C "$work/msi-x" "$msi" >/dev/null
exe=$(find "$work/msi-x" -iname frontdesk.exe | head -n1)
[ -n "$exe" ] || fail "msiextract found no frontdesk.exe"
for f in "$exe" "$msi"; do
  osslsigncode verify -CAfile "$work/sign.pem" -in "$f" >"$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "signature of $(basename "$f")"; }
  grep -q "Frontdesk package-check (throwaway)" "$work/verify.log" || fail "$(basename "$f") is not signed by the throwaway certificate"
done
ok "frontdesk.exe and the MSI carry verified signatures"

# --- wine -------------------------------------------------------------------------
step "wine: frontdesk.exe"
wine=$(command -v wine || command -v wine-stable || true)
msiexec=$(command -v msiexec || command -v msiexec-stable || true)
wineserver=$(command -v wineserver || command -v wineserver-stable || echo /usr/lib/wine/wineserver)
[ -n "$wine" ] && [ -n "$msiexec" ] || fail "wine is not installed (apt-get install $PACKAGE_TEST_PACKAGES)"
export WINEPREFIX="$work/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY
timeout 300 "$wine" wineboot --init >/dev/null 2>&1 || fail "wineboot did not create a prefix"
drive_c="$WINEPREFIX/drive_c"
if [ ! -e "$drive_c/windows/system32/bcryptprimitives.dll" ]; then
  # Debian 12's wine 8.0 lacks the DLL every Go 1.24+ exe loads first; every
  # Windows 10/11 has it. The stand-in lives only in this throwaway prefix.
  x86_64-w64-mingw32-gcc -O2 -shared -Wl,--kill-at -o "$drive_c/windows/system32/bcryptprimitives.dll" \
    packaging/windows/wine/bcryptprimitives.c -ladvapi32
  echo "    wine $("$wine" --version) has no bcryptprimitives.dll: using packaging/windows/wine's stand-in" >&2
fi
run_exe() { timeout 180 "$wine" "$exe" "$@" 2>/dev/null; }
check_version run_exe
check_demo_status run_exe
# A Windows PC has no zone database: the one embedded in the exe must load time_zone.
printf 'provider = "demo"\ntime_zone = "Europe/Rome"\n' >"$work/rome.toml"
rc=0; run_exe status --demo --config "Z:${work//\//\\}\\rome.toml" >/dev/null || rc=$?
[ "$rc" -le 1 ] || fail "frontdesk.exe refused time_zone = \"Europe/Rome\" under wine (exit $rc): is time/tzdata embedded?"
ok "frontdesk.exe version, status --demo --json and time_zone = \"Europe/Rome\" under wine"

step "wine: msiexec install with properties, refusal, upgrade, uninstall"
installed="$drive_c/Program Files/Frontdesk/frontdesk.exe"
policy="$drive_c/ProgramData/Frontdesk/policy.toml"
# Wine resolves ProgramMenuFolder to the user's Start menu even for a
# per-machine package (Windows uses the all-users one): look in both.
shortcut() { find "$drive_c/users" "$drive_c/ProgramData/Microsoft/Windows/Start Menu" -name Frontdesk.lnk 2>/dev/null | head -n1; }
# The versions of Frontdesk listed in Apps & features (the Uninstall keys).
registered_versions() {
  "$wineserver" -w
  awk '/^\[/ { sec = $0 } sec ~ /CurrentVersion\\\\Uninstall\\\\/ && /^"DisplayName"="Frontdesk"$/ { named[sec] = 1 }
    sec ~ /CurrentVersion\\\\Uninstall\\\\/ && /^"DisplayVersion"=/ { split($0, kv, "\""); version[sec] = kv[4] }
    END { for (s in named) print version[s] }' "$WINEPREFIX/system.reg"
}
uninstall_entries() { registered_versions | grep -c . || true; }
mkdir -p "$work/msi-test"
cp "$msi" "$work/msi-test/frontdesk.msi"
cd "$work/msi-test"
msiexec_run() { timeout 300 "$msiexec" "$@" /qn >/dev/null 2>&1; }

# A refused value fails the whole installation and leaves nothing.
if msiexec_run /i frontdesk.msi CLIENT_ID=not-a-guid; then fail "msiexec accepted CLIENT_ID=not-a-guid"; fi
[ ! -e "$installed" ] && [ ! -e "$policy" ] && [ -z "$(shortcut)" ] || fail "a refused installation left files behind"
ok "CLIENT_ID=not-a-guid fails the installation (rolled back, nothing left)"

msiexec_run /i frontdesk.msi TENANT=contoso.onmicrosoft.com CLIENT_ID=11111111-2222-3333-4444-555555555555 \
  REFRESH_INTERVAL=2m || fail "msiexec /i with properties exited $?"
[ -f "$installed" ] || fail "frontdesk.exe not in Program Files after install"
[ -n "$(shortcut)" ] || fail "no Start menu shortcut after install"
[ -f "$policy" ] || fail "msiexec wrote no policy.toml"
sed 's/^/    /' "$policy" >&2
python3 -c '
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    p = tomllib.load(f)
want = {"refresh_interval": "2m", "microsoft365": {"tenant": "contoso.onmicrosoft.com", "client_id": "11111111-2222-3333-4444-555555555555"}}
assert p == want, p
' "$policy" || fail "policy.toml does not hold exactly the given properties"
installed_version=$(timeout 180 "$wine" "$installed" version 2>/dev/null | tr -d '\r') || fail "the installed exe does not run"
[ "${installed_version%%$'\n'*}" = "frontdesk $version" ] || fail "the installed exe reports ${installed_version%%$'\n'*}"
[ "$(uninstall_entries)" = 1 ] || fail "expected one Frontdesk entry in Programs and Features"
ok "msiexec /i /qn TENANT=... CLIENT_ID=... REFRESH_INTERVAL=...: Program Files, shortcut, policy"

# A repair runs WritePolicy with no properties: the policy stays as it is.
cp "$policy" "$work/policy.before"
msiexec_run /i frontdesk.msi REINSTALL=ALL REINSTALLMODE=vomus || fail "repair (REINSTALL=ALL) exited $?"
cmp -s "$policy" "$work/policy.before" || fail "a repair without properties changed the policy"
ok "repair without properties keeps the policy"

# A newer package (the same exe, built by the same script with a higher
# version) replaces it: one entry in Apps & features, the new version.
next="$major.$((minor + 1)).0"
"$repo/packaging/windows/build-msi.sh" "$next" "$exe" "$work/deb-x/usr/bin/frontdesk" next.msi
msiexec_run /i next.msi || fail "upgrade to $next exited $?"
[ "$(registered_versions)" = "$next" ] || fail "Apps & features lists $(registered_versions | tr '\n' ' '), not only $next, after the upgrade"
[ -f "$installed" ] && [ -n "$(shortcut)" ] || fail "the upgrade lost the exe or the shortcut"
if cmp -s "$policy" "$work/policy.before"; then
  ok "upgrade $numeric -> $next: one entry, policy kept"
else
  # Windows Installer sets UPGRADINGPRODUCTCODE while RemoveExistingProducts
  # removes the old version, so RemovePolicy (NOT UPGRADINGPRODUCTCODE) is
  # skipped; wine 8's RemoveExistingProducts passes only REMOVE=ALL, so the
  # old package's RemovePolicy runs. The condition is checked in the tables.
  ok "upgrade $numeric -> $next: one entry (policy kept on upgrade cannot be shown under wine $("$wine" --version): it omits UPGRADINGPRODUCTCODE)"
fi

msiexec_run /x next.msi || fail "msiexec /x exited $?"
[ ! -e "$drive_c/Program Files/Frontdesk" ] || fail "uninstall left Program Files\\Frontdesk"
[ ! -e "$drive_c/ProgramData/Frontdesk" ] || fail "uninstall left ProgramData\\Frontdesk"
[ -z "$(shortcut)" ] || fail "uninstall left the shortcut"
[ "$(uninstall_entries)" = 0 ] || fail "uninstall left an entry in Programs and Features"
"$wineserver" -w
! grep -qi '^\[Software\\\\Frontdesk\]' "$WINEPREFIX/system.reg" || fail "uninstall left HKLM\\Software\\Frontdesk"
ok "msiexec /x: nothing left"
cd - >/dev/null

# --- wine: the installed console ----------------------------------------------
# e2e/wine_test.go (go test -tags wine): the MSI installed with properties, the
# policy's owner as wine reports it and the refusal the window and log give,
# the window from the Start menu shortcut's target on Xvfb, the demo driven
# from the keyboard, a second start, Help > Open log folder, Alt+F4 and
# taskkill, the zone from the registry, the Exchange password prompt, the
# Credential Manager round trip, the Microsoft 365 sign-in against the e2e
# identity server and the canary searches of the prefix (docs/windows.md).
# About 4 minutes with its clean-up, plus the test's build; screenshots go to
# e2e/out (FRONTDESK_WINE_SHOTS elsewhere).
step "wine: the installed console on Xvfb (e2e/wine_test.go)"
wine_display=:$((300 + RANDOM % 100))
Xvfb "$wine_display" -screen 0 1280x800x24 -nolisten tcp -noreset >"$work/xvfb-wine.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do xdpyinfo -display "$wine_display" >/dev/null 2>&1 && break; sleep 0.2; done
(cd e2e && FRONTDESK_E2E=1 FRONTDESK_WINE_MSI="$work/msi-test/frontdesk.msi" DISPLAY="$wine_display" \
  go test -tags wine -count=1 -timeout 20m -run '^TestWine' -v . >&2) || { kill "$xvfb_pid" 2>/dev/null; fail "e2e/wine_test.go"; }
kill "$xvfb_pid" 2>/dev/null || true
ok "the installed console under wine: policy refusal named, welcome page, demo keyboard path, second start, Help > Open log folder, Alt+F4, taskkill, zone, Credential Manager, Microsoft 365 sign-in, no secret in the prefix"

# --- sizes ------------------------------------------------------------------------
step "sizes"
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1000000 }'; } # decimal MB, as issue 12 counts
printf '    %-44s %7s MB\n' "frontdesk (linux/amd64, stripped)" "$(mb "$work/deb-x/usr/bin/frontdesk")" \
  "frontdesk.exe (windows/amd64, stripped)" "$(mb "$exe")" \
  "$(basename "$tarball")" "$(mb "$tarball")" "$(basename "$deb")" "$(mb "$deb")" "$(basename "$msi")" "$(mb "$msi")" >&2
over=""
for f in "$tarball" "$deb" "$msi"; do
  awk -v m="$(mb "$f")" 'BEGIN { exit !(m > 25) }' && over+=" $(basename "$f")"
done
[ -z "$over" ] || echo "    over the 25 MB goal:$over (the binary's size is issue 12's)" >&2
if [ -n "${FRONTDESK_PACKAGE_MAX_MB:-}" ]; then
  for f in "$tarball" "$deb" "$msi"; do
    awk -v m="$(mb "$f")" -v max="$FRONTDESK_PACKAGE_MAX_MB" 'BEGIN { exit !(m > max) }' &&
      fail "$(basename "$f") is $(mb "$f") MB, over FRONTDESK_PACKAGE_MAX_MB=$FRONTDESK_PACKAGE_MAX_MB"
  done
fi
step "all installer checks passed"
