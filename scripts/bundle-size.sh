#!/usr/bin/env bash
# Prints the size of the release bundle's first load in dist/ (index.html,
# wasm, JS glue, CSS, config.json): raw, gzip -9 and brotli (quality 11,
# Node's zlib, so no extra tool is needed), and the brotli total against the
# budget. Run after `trunk build --release` (scripts/test.sh does it).
#
#   bash scripts/bundle-size.sh            report
#   bash scripts/bundle-size.sh --check    also exit 1 when the total is over the budget
#   bash scripts/bundle-size.sh --ceiling  also exit 1 when the total is over the
#                                          ceiling: what the test command runs while
#                                          the bundle is still over the budget, so that
#                                          it cannot grow unnoticed (issue 8 is not
#                                          done until --check passes and replaces it)
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUNDLE_BUDGET_BYTES:-204800} # 200 KiB, brotli, the whole first load
CEILING=${BUNDLE_CEILING_BYTES:-432000} # the size reached so far (431,727: issue 21's operation layer, import service, area registry, English worded from the locale files, pages split into components of at most 200 lines), plus a little
[[ -f dist/index.html ]] || { echo "bundle-size: no dist/; run trunk build --release first" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "bundle-size: needs Node.js for brotli" >&2; exit 1; }
node - "$BUDGET" "${1:-}" "$CEILING" dist/*.wasm dist/*.js dist/*.css dist/index.html dist/config.json <<'JS'
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const [budget, mode, ceiling, ...files] = process.argv.slice(2);
const brotli = (b) => zlib.brotliCompressSync(b, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;
const pad = (s, n) => String(s).padStart(n);
console.log(`${'file'.padEnd(44)} ${pad('raw', 10)} ${pad('gzip', 10)} ${pad('brotli', 10)}`);
let total = 0;
for (const f of files) {
  if (!fs.existsSync(f)) continue;
  const b = fs.readFileSync(f);
  const br = brotli(b);
  total += br;
  console.log(`${path.basename(f).padEnd(44)} ${pad(b.length, 10)} ${pad(zlib.gzipSync(b, { level: 9 }).length, 10)} ${pad(br, 10)}`);
}
const over = total > Number(budget);
console.log(`first load, brotli: ${total} bytes (${(total / 1024).toFixed(1)} KiB); budget ${budget} bytes: ${over ? 'OVER by ' + (total - Number(budget)) : 'within'}`);
if (over && mode === '--check') process.exit(1);
if (mode === '--ceiling') {
  const grown = total > Number(ceiling);
  console.log(`ceiling (no growth while over budget): ${ceiling} bytes: ${grown ? 'OVER by ' + (total - Number(ceiling)) : 'within'}`);
  if (grown) process.exit(1);
}
JS
