#!/usr/bin/env bash
# The gateway's benchmark (issue 20): the same freshly signed requests go to
# the emulator directly, through the gateway's release binary and through
# nginx with deploy/nginx.conf's API rules (as shipped, and with keep-alive to
# the upstream), in one run, at 1, 50 and 200 concurrent clients, the paths
# taking turns in five rounds. Prints requests per second, the latency each proxy
# adds (p50 and p99), and the gateway's resident memory before and after
# 100,000 requests. Budget: throughput and p99 within 10% of nginx, and no
# memory growth. A benchmark, not a test: it reports; CI times nothing.
#
#   bash scripts/bench-gateway.sh                       about 2 minutes after the build
#   BENCH_REQUESTS=5000 bash scripts/bench-gateway.sh   fewer requests per level
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
source scripts/env.sh
echo "== release build of the gateway and the benchmark"
cargo build --release --locked -p sag-console-gateway --bin sag-console-gateway --example bench_gateway
GATEWAY_BIN="$PWD/target/release/sag-console-gateway" ./target/release/examples/bench_gateway
