#!/usr/bin/env bash
# Writes assets/licences.txt: the licence and notice files of every module
# linked into frontdesk, for Help > About and the packages. Run it after a
# dependency changes; app's TestLicenceNoticesCoverEveryModule fails until then.
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/licences.txt
{
  echo "Frontdesk includes the following open-source modules. Each is used under"
  echo "its own licence, reproduced below from the module's source."
  # Every system the binary is built for: the Windows build links modules
  # the Linux one does not (the Credential Manager's wincred).
  for goos in linux windows darwin; do
    CGO_ENABLED=1 GOOS=$goos go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}} {{.Dir}}{{end}}{{end}}' .
  done | sort -u |
  while read -r mod dir; do
    printf '\n==== %s ====\n' "$mod"
    found=0
    for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/NOTICE* "$dir"/License* "$dir"/license*; do
      [ -f "$f" ] || continue
      found=1
      printf '\n-- %s --\n' "$(basename "$f")"
      cat "$f"
    done
    [ "$found" = 1 ] || printf '(no licence file in the module source; see %s)\n' "${mod%@*}"
  done
} >"$out"
echo "wrote $out ($(wc -c <"$out") bytes)"
