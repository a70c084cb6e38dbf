#!/usr/bin/env bash
# Builds the MSI from frontdesk.wxs: build-msi.sh X.Y.Z FRONTDESK.EXE NATIVE_FRONTDESK OUT.msi
# NATIVE_FRONTDESK is the same source built for this machine: its
# `write-policy -h` names each flag's MSI property, and the custom action is
# generated from that list, so the MSI cannot drift from what the exe accepts.
# Used by scripts/package.sh, and by scripts/package-check.sh for the
# upgrade test's newer package.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 X.Y.Z FRONTDESK.EXE NATIVE_FRONTDESK OUT.msi" >&2; exit 2; }
version=$1 exe=$2 native=$3 out=$(realpath -m "$4")
here=$(cd "$(dirname "$0")" && pwd)

mapping=$({ "$native" write-policy -h 2>&1 || true; } |
  awk '/^  -[a-z-]+ string/ { flag = substr($1, 2) }
    /\(MSI property [A-Z_]+\)/ { match($0, /MSI property [A-Z_]+/); print flag, substr($0, RSTART + 13, RLENGTH - 13) }')
[ -n "$mapping" ] || { echo "build-msi: $native write-policy names no MSI property" >&2; exit 1; }
policy_args="" secure="WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED"
while read -r flag property; do
  policy_args+=" --$flag=\"[$property]\""
  secure+=";$property"
done <<<"$mapping"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$exe" "$stage/frontdesk.exe"
cp "$here/../icons/frontdesk.ico" "$stage/"
# wixl finds files only relative to the folder it runs in.
(cd "$stage" && wixl -a x64 -D Version="$version" -D ExeFile=frontdesk.exe -D IconFile=frontdesk.ico \
  -D PolicyArgs="${policy_args# }" -o "$out" "$here/frontdesk.wxs")
# What wixl 0.101 cannot say (see frontdesk.wxs): the provisioning properties
# are secure, and the old version is removed right after InstallValidate.
msibuild "$out" -q "UPDATE \`Property\` SET \`Value\` = '$secure' WHERE \`Property\` = 'SecureCustomProperties'"
msibuild "$out" -q "UPDATE \`InstallExecuteSequence\` SET \`Sequence\` = 1450 WHERE \`Action\` = 'RemoveExistingProducts'"
