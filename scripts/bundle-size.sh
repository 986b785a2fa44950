#!/usr/bin/env bash
# Prints the sizes of the release build in dist/ (raw, gzip -9 and brotli
# quality 11, with Node's zlib, so no extra tool is needed), split as the
# browser loads it (issue 22):
#
# - the first load: index.html, config.json, the CSS, the JS glue, the split
#   linker (__wasm_split-*.js, which the glue imports) and the main wasm:
#   everything needed to show Settings with both forms working;
# - the parts, fetched on demand: split_<part>-*.wasm (one per part of the
#   console, or split_<part>__<part>-*.wasm for parts put together) and
#   chunk_shared-*.wasm (the code several parts share, merged into one
#   module, fetched with the first of them; scripts/split-wasm.mjs);
# - everything together.
#
#   bash scripts/bundle-size.sh          report
#   bash scripts/bundle-size.sh --check  also exit 1 when the first load, a
#                                        part or everything together is over
#                                        its budget: what the test command runs
#
# Budgets (brotli): the first load at most 250,000 bytes (the way on is
# 200 KiB, printed beside it); every part at most 80,000; everything
# together at most 474,900 (1.1 times 431,727, the whole unsplit bundle
# before the split). --check holds all three.
set -euo pipefail
cd "$(dirname "$0")/.."
FIRST=${BUNDLE_FIRST_LOAD_BYTES:-250000}
PART=${BUNDLE_PART_BYTES:-80000}
TOTAL=${BUNDLE_TOTAL_BYTES:-474900}
[[ -f dist/index.html ]] || { echo "bundle-size: no dist/; run trunk build --release first" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "bundle-size: needs Node.js for brotli" >&2; exit 1; }
node - "${1:-}" "$FIRST" "$PART" "$TOTAL" <<'JS'
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const [mode, first, part, total] = process.argv.slice(2);
const brotli = (b) => zlib.brotliCompressSync(b, { params: {
  [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;
const pad = (s, n) => String(s).padStart(n);
const files = fs.readdirSync('dist').filter((f) => /\.(wasm|js|css|html|json)$/.test(f)).sort();
const isPart = (f) => /^(split|chunk)_.*\.wasm$/.test(f);
if (!files.some(isPart)) {
  console.error('bundle-size: dist/ holds no parts (split_*.wasm): is it a debug build? Run trunk build --release');
  process.exit(1);
}
const rows = files.map((f) => {
  const b = fs.readFileSync(path.join('dist', f));
  return { f, raw: b.length, gz: zlib.gzipSync(b, { level: 9 }).length, br: brotli(b), part: isPart(f) };
});
const line = (r) => console.log(`${r.f.padEnd(48)} ${pad(r.raw, 10)} ${pad(r.gz, 10)} ${pad(r.br, 10)}`);
console.log(`${'first load'.padEnd(48)} ${pad('raw', 10)} ${pad('gzip', 10)} ${pad('brotli', 10)}`);
rows.filter((r) => !r.part).forEach(line);
console.log(`\n${'parts (largest first)'.padEnd(48)}`);
rows.filter((r) => r.part).sort((a, b) => b.br - a.br).forEach(line);
const sum = (rs) => rs.reduce((a, r) => a + r.br, 0);
// What a first visit to each part fetches: its module and the chunks it
// needs (read from the split linker, which names them).
const linker = files.find((f) => /^__wasm_split-.*\.js$/.test(f));
if (linker) {
  const js = fs.readFileSync(path.join('dist', linker), 'utf8');
  const brOf = new Map(rows.map((r) => [r.f, r.br]));
  // Loaders: `const __x = makeLoad(() => { fetch("./file") … }, [deps]);`,
  // the merged chunks' other names (`const __chunk_7 = __chunk_6;`), and each
  // part's entry: a loader of its own, or one of parts put together.
  const loaders = new Map();
  for (const m of js.matchAll(/const (__\w+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"[\s\S]*?\n, \[([^\]]*)\]\);/g)) {
    loaders.set(m[1], { file: m[2], deps: m[3] });
  }
  for (const m of js.matchAll(/const (__chunk_\d+) = (__chunk_\d+);/g)) loaders.set(m[1], loaders.get(m[2]));
  const entries = [];
  for (const m of js.matchAll(/__wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"[\s\S]*?\n, \[([^\]]*)\]\)\)/g)) {
    entries.push([m[1], { file: m[2], deps: m[3] }]);
  }
  for (const m of js.matchAll(/__wasm_split_load_(\w+) = wrapAsyncCb\((__\w+)\);/g)) entries.push([m[1], loaders.get(m[2])]);
  console.log(`\n${'a first visit to a part fetches'.padEnd(48)} ${pad('files', 10)} ${pad('', 10)} ${pad('brotli', 10)}`);
  for (const [name, { file, deps }] of entries) {
    const needed = deps.split(',').map((d) => d.trim()).filter(Boolean).map((d) => loaders.get(d).file);
    const fetched = [...new Set([file, ...needed])];
    console.log(`${name.padEnd(48)} ${pad(fetched.length, 10)} ${pad('', 10)} ${pad(fetched.reduce((a, f) => a + (brOf.get(f) || 0), 0), 10)}`);
  }
}
const firstLoad = sum(rows.filter((r) => !r.part));
const largest = rows.filter((r) => r.part).sort((a, b) => b.br - a.br)[0];
const all = sum(rows);
const verdict = (n, max) => (n > Number(max) ? `OVER by ${n - Number(max)}` : 'within');
console.log('');
console.log(`first load, brotli: ${firstLoad} bytes (${(firstLoad / 1024).toFixed(1)} KiB); budget ${first}: ${verdict(firstLoad, first)}; the 200 KiB goal (204,800): ${verdict(firstLoad, 204800)}`);
console.log(`largest part, brotli: ${largest.br} bytes (${largest.f}); budget ${part}: ${verdict(largest.br, part)}`);
console.log(`everything, brotli: ${all} bytes in ${rows.length} files (${(all / 431727).toFixed(2)} times the unsplit 431,727); budget ${total}: ${verdict(all, total)}`);
if (mode === '--check' && (firstLoad > Number(first) || largest.br > Number(part) || all > Number(total))) process.exit(1);
JS
