#!/usr/bin/env bash
# `npm test`: every suite, one after another; exits non-zero when any failed.
# node's test runner prints its own totals; the static checks and the VS Code host suites end with "N passed, N failed".
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/.."
failed=()
# What only the tests need (reference runtimes, the Kubernetes control plane): built once into a cache outside the clone.
bash scripts/setup-tests.sh || { echo "=== the tests' tools could not be built (scripts/setup-tests.sh)"; exit 1; }
run() {
  echo "=== $1"
  npm run --silent "$1" || failed+=("$1")
}
# The static checks first: they take a minute and need nothing built (scripts/code-checks.mjs).
run typecheck
run lint
run format:check
run test:unit
run test:vscode
run test:vsix
run test:start
if [ ${#failed[@]} -gt 0 ]; then
  echo "=== failed suites: ${failed[*]}"
  exit 1
fi
echo "=== all suites passed"
