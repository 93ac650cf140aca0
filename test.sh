#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test project, ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

./scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

echo "test.sh: building (Release)"
if ! dotnet build Flotilla.slnx -c Release -nologo -v q -clp:ErrorsOnly -clp:NoSummary; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# The CLI the tests run through the launcher (published ReadyToRun, with the offline images): built once, here,
# rather than by the first end-to-end test while other test assemblies run.
echo "test.sh: building the CLI (ReadyToRun)"
if ! ./flotilla --version >/dev/null; then
  echo "CLI build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "test.sh: running tests"
dotnet test Flotilla.slnx -c Release --no-build -nologo -v q --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# dotnet test prints one summary per test assembly: "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..."
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # a crashed test host or a runner error counts as a failure
fi
echo "$passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
