#!/usr/bin/env bash
# Installs what is missing, starts the cloud emulator with demo data on
# 127.0.0.1:8787, and serves the console with `trunk serve` on 127.0.0.1
# (port $PORT, default 8080), proxying the API paths to the emulator.
# Ctrl-C stops both. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/setup.sh

PORT="${PORT:-8080}"
EMULATOR="127.0.0.1:8787" # Trunk.toml proxies /api/aliyun/ and /api/tencent/ here

echo "==> building the cloud emulator"
cargo build --quiet -p cloud-emulator

# True if a cloud emulator answers its health check on $EMULATOR (bash only, no curl needed).
emulator_healthy() {
  (exec 3<>"/dev/tcp/${EMULATOR%:*}/${EMULATOR#*:}" \
    && printf 'GET /_emulator/health HTTP/1.0\r\nHost: %s\r\n\r\n' "$EMULATOR" >&3 \
    && grep -q '"ok":true' <&3) 2>/dev/null
}

emulator_pid=""
cleanup() { [[ -n "$emulator_pid" ]] && kill "$emulator_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if emulator_healthy; then
  echo "==> a cloud emulator is already running on $EMULATOR: using it"
elif (exec 3<>"/dev/tcp/${EMULATOR%:*}/${EMULATOR#*:}") 2>/dev/null; then
  echo "serve: port ${EMULATOR#*:} is taken by another program; stop it (the emulator must listen there, see Trunk.toml)" >&2
  exit 1
else
  # EMULATOR_ARGS adds options, e.g. EMULATOR_ARGS="--state emulator-state.json --latency-ms 50..300"
  # shellcheck disable=SC2086
  target/debug/cloud-emulator --listen "$EMULATOR" ${EMULATOR_ARGS:-} &
  emulator_pid=$!
  for _ in $(seq 50); do
    emulator_healthy && break
    kill -0 "$emulator_pid" 2>/dev/null || { echo "serve: the cloud emulator did not start" >&2; exit 1; }
    sleep 0.1
  done
fi

echo
echo "SAG Console: http://127.0.0.1:$PORT/  (the first build takes a minute; Ctrl-C stops)"
echo
# A separate output folder: dist/ stays the release build that the tests load.
trunk serve --offline --dist target/trunk-serve --address 127.0.0.1 --port "$PORT"
