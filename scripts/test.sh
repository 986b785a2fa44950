#!/usr/bin/env bash
# Runs every test the project has, after installing whatever is missing:
# formatting, clippy (host and wasm32), the release build, native tests
# (api, signing vectors, end-to-end in headless Chromium, the shipped nginx
# examples run by a real nginx) and browser tests
# (wasm-bindgen-test in headless Chromium). Exits non-zero if any step fails.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

bash scripts/setup.sh || { echo "test: setup failed, nothing was tested" >&2; exit 1; }

passed=0
failed=0
summary=()
step() {
  local name="$1"
  shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    summary+=("ok     $name ($((SECONDS - start)) s)")
  else
    failed=$((failed + 1))
    summary+=("FAILED $name ($((SECONDS - start)) s)")
  fi
}

step "cargo fmt --check" cargo fmt --all -- --check
step "clippy, host" cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy, wasm32" cargo clippy --workspace --exclude cloud-emulator --exclude sag-console-gateway --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
step "release build (trunk build --release)" trunk build --release --offline
step "release build for a sub-path (--public-url /sag-console/, for the nginx test)" \
  trunk build --release --offline --public-url /sag-console/ --dist target/dist-sub-path
step "bundle size (brotli: the first load within 250,000, each part within 80,000, everything within 474,900)" bash scripts/bundle-size.sh --check
step "native tests (api, signing vectors, end-to-end in Chromium)" cargo test --workspace --locked
# The suites above run under the shipped default, V3 (ACS3-HMAC-SHA256 and
# TC3-HMAC-SHA256). A part of them runs again with config.json saying
# "signature": "v1" for both vendors: connecting, creating, deleting, the
# online view, editing and faults for SAG; connecting, adding, deleting, an
# ambiguous add and editing for CAM. Each checks that the emulator saw only
# v1 signatures.
step "end-to-end under v1 signatures (a part of the suites)" \
  env SAG_E2E_SIGNATURE=v1 cargo test --workspace --locked --test e2e_console --test e2e_cam -- \
  connect_with_good_and_wrong create_with_every_kind delete_one_and_several online_view_follows \
  edit_reset_password faults_end_in add_with_every_kind delete_with_and_without_keys \
  an_ambiguous_add_user edit_a_sub_users
step "browser tests (wasm-bindgen-test in headless Chromium)" \
  cargo test --locked --target wasm32-unknown-unknown -p sag-console --test web

echo
echo "Summary:"
printf '  %s\n' "${summary[@]}"
echo "test steps: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
