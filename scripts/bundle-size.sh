#!/usr/bin/env bash
# Prints the size of the release bundle in dist/ (raw, gzip -9, brotli -q 11
# where brotli is installed): the numbers the size budget is judged by.
# Run after `trunk build --release` (scripts/test.sh does it).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f dist/index.html ]] || { echo "bundle-size: no dist/; run trunk build --release first" >&2; exit 1; }
printf '%-48s %10s %10s %10s\n' file raw gzip brotli
for f in dist/*.wasm dist/*.js dist/*.css dist/index.html dist/config.json; do
  [[ -f "$f" ]] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  if command -v brotli >/dev/null 2>&1; then br=$(brotli -q 11 -c "$f" | wc -c); else br="-"; fi
  printf '%-48s %10s %10s %10s\n' "$(basename "$f")" "$raw" "$gz" "$br"
done
