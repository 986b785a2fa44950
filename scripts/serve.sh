#!/usr/bin/env bash
# Installs what is missing, builds the console and serves it with
# `trunk serve` on 127.0.0.1 (port $PORT, default 8080). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/setup.sh

PORT="${PORT:-8080}"
echo
echo "SAG Console: http://127.0.0.1:$PORT/  (first build takes a minute; Ctrl-C stops)"
echo
exec trunk serve --offline --address 127.0.0.1 --port "$PORT"
