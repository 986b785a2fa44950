#!/usr/bin/env bash
# Mutation testing of the console's pure logic (issue 21): the operation
# layer's decisions, the bulk loop, the import service and its progress, and
# the client's patient-mutation rule; or of the api crate's signing code with
# `bash scripts/mutants.sh api`. Installs cargo-mutants when missing (not
# part of the two commands: it is a measurement, minutes long, not a test).
# Prints cargo-mutants' summary: caught, missed, unviable, timeouts.
# `lists` covers the list state and the form model: the URL view state and
# the drawn window, the sub-user and online views' search and sort, and
# FormState.
# Usage: bash scripts/mutants.sh [app|lists|api] [--iterate]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if ! command -v cargo-mutants >/dev/null 2>&1; then
  echo "mutants: installing cargo-mutants 27.1.0 (a few minutes)" >&2
  cargo install --locked cargo-mutants --version 27.1.0
fi
# `--iterate` (second argument) tests again only what the last run missed.
again=()
[[ "${2:-}" == "--iterate" ]] && again=(--iterate)
case "${1:-app}" in
  app)
    cargo mutants -p sag-console -j 1 --timeout 120 "${again[@]}" \
      -f src/shell/outcome.rs -f src/plumbing/bulk.rs \
      -f src/sag/services/import.rs -f src/sag/import_progress.rs \
      -f src/plumbing/client.rs --re 'mutate_patiently|backoff_ms|shown|Status::|OpWords::|one_by_one|not_done|import_rows|pace_ms|Progress::|Tally::|result_csv|seconds_to_go' \
      --output target/mutants-app -- --lib
    ;;
  lists)
    cargo mutants -p sag-console -j 1 --timeout 120 "${again[@]}" \
      -f src/shell/form.rs -f src/list_view.rs -f src/sag/online_list.rs -f src/cam/list.rs \
      --output target/mutants-lists -- --lib
    ;;
  api)
    cargo mutants -p sag-api -j 1 --timeout 120 "${again[@]}" \
      -f 'crates/api/src/sign/**/*.rs' -f crates/api/src/sign.rs -f crates/api/src/request.rs \
      --output target/mutants-api
    ;;
  *)
    echo "usage: bash scripts/mutants.sh [app|lists|api] [--iterate]" >&2
    exit 2
    ;;
esac
