#!/usr/bin/env bash
# The performance benchmark (issue 8): builds the release bundle, prints its
# size, then drives headless Chromium against the emulator's big seed through
# the proxy and prints each figure (median of several runs) beside its budget.
# A benchmark, not a test: it reports; scripts/test.sh and CI time nothing.
#
#   bash scripts/bench.sh           everything (about 4 minutes after a build)
#   bash scripts/bench.sh --size    the bundle size and where the bytes go only
#   BENCH_PROFILE=1 bash scripts/bench.sh   also a CPU profile of the keystrokes
#
# Installs twiggy (for "where the bytes go") into ~/.cargo/bin when missing;
# everything else comes from scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

echo "== release build"
trunk build --release --offline >/dev/null
echo "== bundle (first load)"
bash scripts/bundle-size.sh

# Where the bytes go: the same release wasm with its function names kept,
# optimised like the bundle, summed per crate by twiggy.
if ! command -v twiggy >/dev/null 2>&1; then
  echo "== installing twiggy (cargo install twiggy)"
  cargo install --locked twiggy >/dev/null 2>&1 || cargo install twiggy
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --keep-debug --target web --no-typescript --out-dir "$work" --out-name named \
  target/wasm32-unknown-unknown/release/sag-console.wasm
.tools/node_modules/.bin/wasm-opt -Oz -g --enable-bulk-memory --enable-reference-types \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$work/named_bg.wasm" -o "$work/named.wasm"
twiggy top -n 1000000 --format csv "$work/named.wasm" > "$work/top.csv"
echo "== where the wasm's bytes go (code and data after wasm-opt -Oz, by crate; top 15)"
python3 - "$work/top.csv" <<'PY'
import csv, re, sys, collections
by = collections.Counter()
for row in csv.DictReader(open(sys.argv[1])):
    name = re.sub(r'\[[0-9a-f]{16}\]', '', row['Name'])
    size = int(row['ShallowSize'])
    if 'function names' in name:
        continue
    if name.startswith('data segment'):
        by['(data: strings and tables)'] += size
        continue
    # `<T as crate::Trait>::f` is counted to the trait's crate, `crate::f` to its crate.
    m = re.match(r'^<.*? as <?([a-z_][a-z0-9_]*)::', name) or re.match(r'^<?&?(?:mut )?([a-z_][a-z0-9_]*)::', name)
    by[m.group(1) if m else '(other)'] += size
total = sum(by.values())
for crate, size in by.most_common(15):
    print(f"  {crate:<32} {size:>9}  {100 * size / total:4.1f}%")
print(f"  {'total':<32} {total:>9}")
PY
[[ "${1:-}" == "--size" ]] && exit 0

echo "== scale (headless Chromium, emulator --seed big:N, release build behind the proxy)"
cargo test --release --test bench_scale -- --ignored --nocapture --test-threads 1 2>&1 \
  | grep -oE '(figure:|load of|online view|heap after|wasm memory|CPU profile).*' | sed 's/^figure: /  /'
