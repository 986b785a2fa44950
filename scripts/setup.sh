#!/usr/bin/env bash
# Installs whatever the console needs to build, serve and test, and is quick
# when everything is already there. Safe to run again. Source scripts/env.sh
# afterwards (the other scripts do) to put the project's tools on PATH.
#
# Installs: the wasm32 target; Trunk 0.21.14; wasm-bindgen-cli of exactly the
# version in Cargo.lock; wasm-split-cli 0.2.4 (the release build's split);
# wasm-opt from the npm package binaryen@132 inside .tools/ (Debian's
# binaryen 108 breaks the wasm); Debian's chromium and chromium-driver
# (browser and end-to-end tests); Debian's nginx, unpacked into
# .tools/nginx/ (the end-to-end test of deploy/nginx.conf; unpacked rather
# than installed so that no system nginx starts listening on port 80);
# Debian's tinyproxy-bin, unpacked into .tools/tinyproxy/ (the gateway's
# tests of a corporate forward proxy).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
failed=()

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "setup: could not install $1: $2" >&2; failed+=("$1"); }

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || { echo "setup: '$1' is required but not installed ($2)" >&2; exit 1; }
}
need_cmd cargo "install Rust 1.95 with rustup: https://rustup.rs"
need_cmd rustup "install Rust with rustup: https://rustup.rs"

# 1. The wasm32 target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown || fail "the wasm32-unknown-unknown target" "rustup target add failed"
fi

# 2. Trunk (0.22 needs a newer rustc than 1.95).
if [[ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]]; then
  step "cargo install trunk $TRUNK_VERSION (about 6 minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION" || fail "trunk $TRUNK_VERSION" "cargo install failed"
fi

# 3. wasm-bindgen-cli, exactly the version Cargo.lock pins (Trunk refuses any other).
if [[ ! -f Cargo.lock ]]; then cargo generate-lockfile; fi
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/, "", $3); print $3}' Cargo.lock)
if [[ -z "$WB_VERSION" ]]; then
  fail "wasm-bindgen-cli" "no wasm-bindgen version in Cargo.lock"
elif [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]] \
  || [[ "$(wasm-bindgen-test-runner --version 2>/dev/null || true)" != "wasm-bindgen-test-runner $WB_VERSION" ]]; then
  step "cargo install wasm-bindgen-cli $WB_VERSION (about 2 minutes, once)"
  # Without --locked: the locked dependency set references a yanked crate.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force || fail "wasm-bindgen-cli $WB_VERSION" "cargo install failed"
fi

# 3b. wasm-split-cli (the crate wasm_split_cli_support, which cargo-leptos
# uses as a library): splits the release wasm into parts loaded on demand
# (scripts/split-wasm.mjs, from Trunk's post_build hook).
WASM_SPLIT_VERSION=0.2.4
if ! command -v wasm-split-cli >/dev/null 2>&1 \
  || [[ "$(cat "$HOME/.cargo/.wasm-split-cli-version" 2>/dev/null || true)" != "$WASM_SPLIT_VERSION" ]]; then
  step "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (about 2 minutes, once)"
  if cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --force; then
    echo "$WASM_SPLIT_VERSION" > "$HOME/.cargo/.wasm-split-cli-version"
  else
    fail "wasm-split-cli (wasm_split_cli_support $WASM_SPLIT_VERSION)" "cargo install failed"
  fi
fi

# 4. wasm-opt from npm's binaryen, kept inside the project (.tools/, git-ignored).
if [[ "$(.tools/node_modules/.bin/wasm-opt --version 2>/dev/null || true)" != *"version ${BINARYEN_VERSION%%.*}"* ]]; then
  if command -v npm >/dev/null 2>&1; then
    step "npm install binaryen@$BINARYEN_VERSION into .tools/"
    mkdir -p .tools
    [[ -f .tools/package.json ]] || echo '{"private": true}' > .tools/package.json
    npm install --prefix .tools --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION" \
      || fail "wasm-opt (npm binaryen@$BINARYEN_VERSION)" "npm install failed"
  else
    fail "wasm-opt (npm binaryen@$BINARYEN_VERSION)" "npm is not installed (apt-get install nodejs npm)"
  fi
fi

# 5. Chromium and its driver for the browser and end-to-end tests.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  step "apt-get install chromium chromium-driver"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver </dev/null \
    || { $SUDO apt-get update -q </dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver </dev/null; }; then
    :
  else
    fail "chromium and chromium-driver" "apt-get install failed (needs root or sudo)"
  fi
fi

# 5b. A Simplified Chinese font for headless Chromium (Debian's
# fonts-wqy-microhei, 5 MB), so the zh-CN pages and their README screenshots
# render glyphs rather than empty boxes. The tests read text, not pixels; a
# failure here is a warning.
if ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then
  step "apt-get install fonts-wqy-microhei"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-wqy-microhei </dev/null \
    || { $SUDO apt-get update -q </dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-wqy-microhei </dev/null; } \
    || echo "setup: fonts-wqy-microhei could not be installed; Chinese text in screenshots shows as boxes" >&2
fi

# 6. nginx for the test of the shipped deploy/nginx*.conf: Debian's package,
# unpacked into .tools/nginx/ (its binary needs only libssl3, libpcre2 and
# zlib, which every Debian has). apt-get download needs no root.
# unpack_debs DIR WHAT PACKAGE...: Debian's packages downloaded (no root
# needed; apt's _apt user writes in the folder) and unpacked into .tools/DIR/.
unpack_debs() {
  local dir=$1 what=$2
  shift 2
  step "apt-get download $* into .tools/$dir/"
  rm -rf ".tools/$dir-debs" && mkdir -p ".tools/$dir-debs" && chmod a+rwx ".tools/$dir-debs"
  local SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  if (cd ".tools/$dir-debs" && apt-get download "$@" </dev/null) \
    || { $SUDO apt-get update -q </dev/null && (cd ".tools/$dir-debs" && apt-get download "$@" </dev/null); }; then
    rm -rf ".tools/$dir"
    for deb in ".tools/$dir-debs"/*.deb; do dpkg-deb -x "$deb" ".tools/$dir"; done
    rm -rf ".tools/$dir-debs"
  else
    fail "$what" "apt-get download $* failed"
    return 1
  fi
}

NGINX_BIN=.tools/nginx/usr/sbin/nginx
if ! "$NGINX_BIN" -v >/dev/null 2>&1 || [[ ! -f .tools/nginx/etc/nginx/mime.types ]]; then
  if unpack_debs nginx nginx nginx nginx-common; then
    "$NGINX_BIN" -v >/dev/null 2>&1 || fail "nginx" "the unpacked $NGINX_BIN does not run (missing libssl3, libpcre2-8-0 or zlib1g?)"
  fi
fi

# 6b. tinyproxy, the corporate forward proxy of the gateway's tests (CONNECT,
# Basic credentials): Debian's tinyproxy-bin, unpacked into .tools/tinyproxy/
# like nginx, so that no proxy service starts on the machine. Its binary
# needs only libc.
TINYPROXY_BIN=.tools/tinyproxy/usr/bin/tinyproxy
if ! "$TINYPROXY_BIN" -v >/dev/null 2>&1; then
  if unpack_debs tinyproxy tinyproxy tinyproxy-bin; then
    "$TINYPROXY_BIN" -v >/dev/null 2>&1 || fail "tinyproxy" "the unpacked $TINYPROXY_BIN does not run"
  fi
fi

# 7. openssl (the nginx test makes a throwaway TLS certificate with it).
if ! command -v openssl >/dev/null 2>&1; then
  step "apt-get install openssl"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssl </dev/null \
    || { $SUDO apt-get update -q </dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssl </dev/null; } \
    || fail "openssl" "apt-get install failed (needs root or sudo)"
fi

# 8. Every crate, so later builds (and Trunk's --offline) need no network.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch || fail "the crates in Cargo.lock" "cargo fetch failed"

if ((${#failed[@]})); then
  echo >&2
  echo "setup: FAILED to install: ${failed[*]}" >&2
  exit 1
fi
echo "setup: everything is installed (trunk $TRUNK_VERSION, wasm-split-cli $WASM_SPLIT_VERSION, wasm-bindgen $WB_VERSION, wasm-opt $(.tools/node_modules/.bin/wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -1), $("$NGINX_BIN" -v 2>&1), $("$TINYPROXY_BIN" -v 2>&1 | head -1))"
