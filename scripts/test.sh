#!/usr/bin/env bash
# Runs every test of Culprit (unit, property, end-to-end with real git, gcc, kernel builds and QEMU)
# after installing what they need, then prints `tests: N passed, M failed[, K skipped]` from the
# TRX results. Exits non-zero when any test failed or none ran.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-deps.sh || { echo "tests: 0 passed, 1 failed (installing dependencies failed)"; exit 1; }

results="$root/TestResults"
rm -rf "$results"
dotnet test Culprit.slnx -c Release --logger trx --results-directory "$results" \
  --blame-hang --blame-hang-timeout 25m -- RunConfiguration.MaxCpuCount=2
status=$?

sum() { # attribute name -> total over all TRX files
  cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'
}
passed=$(sum passed)
failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) ))
total=$(sum total)
executed=$(sum executed)
skipped=$(( total - executed ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the run broke before its results were written (build error, crash)
fi
line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
exit 0
