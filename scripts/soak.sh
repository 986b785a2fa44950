#!/usr/bin/env bash
# The fault soak benchmark (tests/soak.rs, `soak_full`): the console's
# services create SOAK_USERS client users (default 100) and delete them again
# through the shipped nginx example, against the emulator with 20% throttling,
# 5% 5xx, 5% cut-off or HTML answers and 0-500 ms latency; prints its figures
# and fails unless 0 are lost, 0 duplicated, 0 left behind and every failure
# was shown in words. SOAK_SEED picks the emulator's fault sequence (default 1).
# About 4 minutes for 100 users. Results: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/setup.sh
cargo test --locked --test soak -- --ignored --nocapture --test-threads 1 soak_full 2>&1 \
  | grep -E '^(soak:|figure:|test |thread|failures|  )' 
