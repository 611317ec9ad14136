#!/usr/bin/env bash
# Render an HTML report or feedback page to a PNG with headless Chromium, to look at it or attach
# it to a review. The pages are standalone, so this works offline.
#
#   docs/screenshot_report.sh reports/01_forward_pass.html report.png [WIDTH] [HEIGHT]
#
# WIDTH x HEIGHT is the window (default 1200x1600); content below it is cut off. Set CHROMIUM to
# use another browser binary (default /usr/bin/chromium, else `chromium` on PATH).
set -euo pipefail

if [[ $# -lt 2 || $# -gt 4 ]]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
html=$1
png=$2
width=${3:-1200}
height=${4:-1600}

chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]]; then
    chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [[ -z $chromium ]]; then
    echo "screenshot_report.sh: chromium not found (install Debian's chromium or set CHROMIUM)" >&2
    exit 3
fi
if [[ ! -f $html ]]; then
    echo "screenshot_report.sh: no such file: $html" >&2
    exit 2
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
url=$(python3 -c 'import pathlib, sys; print(pathlib.Path(sys.argv[1]).resolve().as_uri())' "$html")
png_abs=$(realpath -m "$png")
rm -f "$png_abs"

# A fresh profile and no background services: nothing is fetched, nothing is kept.
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$png_abs" --window-size="$width,$height" "$url" \
    >/dev/null 2>&1 || true

if [[ ! -s $png_abs ]]; then
    echo "screenshot_report.sh: chromium wrote no screenshot of $html" >&2
    exit 1
fi
echo "$png_abs"
