#!/usr/bin/env bash
# Import loops between the console's modules (issue 21): reads the module
# graph with `cargo modules dependencies` (cargo-modules, installed when
# missing: 0.27.0, the last one that builds with Rust 1.95; about 15 minutes
# the first time) and fails when modules import each other in a circle.
# Not part of the two commands: a check of the code's shape, run by hand.
#
# cargo-modules' own `--acyclic` also counts a type's edge to its own
# methods as a circle, so the graph is read with types, traits and
# functions left out and the circles are found by scripts/module-cycles.py.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if ! command -v cargo-modules >/dev/null 2>&1; then
  echo "modules: installing cargo-modules 0.27.0 (minutes)" >&2
  cargo install --locked cargo-modules --version 0.27.0
fi
cargo modules dependencies --lib -p sag-console \
  --no-externs --no-sysroot --no-fns --no-traits --no-types --layout dot 2>/dev/null \
  | python3 scripts/module-cycles.py
