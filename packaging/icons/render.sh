#!/usr/bin/env bash
# Renders assets/icon.svg into every raster the app and the installers use:
# assets/icon.png (512 px: the window icon, Fyne's metadata, fyne package),
# packaging/icons/frontdesk-N.png (the hicolor sizes of the .deb) and
# packaging/icons/frontdesk.ico (the exe's and the MSI's icon). The results are
# committed, so packaging needs neither tool; run this after editing the SVG.
# Needs: librsvg2-bin (rsvg-convert), imagemagick, optipng if present.
set -euo pipefail
cd "$(dirname "$0")/../.."
svg=assets/icon.svg
out=packaging/icons
for size in 16 22 24 32 48 64 128 256 512; do
  rsvg-convert --width "$size" --height "$size" "$svg" -o "$out/frontdesk-$size.png"
done
cp "$out/frontdesk-512.png" assets/icon.png
# Windows picks the nearest size from the ICO: the shell asks for 16, 24, 32,
# 48 and 256 (large icons view), high-DPI taskbars for 64.
convert "$out"/frontdesk-{16,24,32,48,64,256}.png "$out/frontdesk.ico"
if command -v optipng >/dev/null; then optipng -quiet -o5 "$out"/*.png assets/icon.png; fi
