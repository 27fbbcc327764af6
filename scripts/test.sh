#!/usr/bin/env bash
# Runs every test of Culprit (unit, property, end-to-end with real git, gcc, kernel builds and QEMU)
# after installing what they need, then prints `tests: N passed, M failed[, K skipped]` from the
# TRX results. Exits non-zero when any test failed or none ran.
#
# The solution is built once; then Kernel.Tests runs alone (on a new machine it makes the kernel test
# tree and builds its kernels from nothing, using every processor), and after it the CLI's tests
# (whose kernel tests compile from the objects those builds left in ccache) beside every other
# project, in two lanes at once. One `dotnet test` of the solution ran the projects one after another
# (each project's tests stay on the MSBuild node that built it), while most of them wait on git,
# QEMU or a server more than they compute.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-deps.sh || { echo "tests: 0 passed, 1 failed (installing dependencies failed)"; exit 1; }

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"
dotnet build Culprit.slnx -c Release || { echo "tests: 0 passed, 1 failed (the build failed)"; exit 1; }

# lane NAME DIR...: the projects one after another, each into its own results folder; the lane's
# status (0: every project passed) goes to $results/NAME.status.
lane() {
  local name=$1 status=0 dir
  shift
  for dir in "$@"; do
    dotnet test "$dir" -c Release --no-build --logger trx --results-directory "$results/$(basename "$dir")" \
      --blame-hang --blame-hang-timeout 25m || status=1
  done
  echo "$status" > "$results/$name.status"
}

lane kernel tests/Culprit.Kernel.Tests
# The longest first, so that the two lanes end near each other; then every other test project, so
# a new one is never left out. Each line of a lane's output is headed by its name.
other=(tests/Culprit.Git.Tests tests/Culprit.Service.Tests tests/Culprit.Machines.Tests tests/Culprit.Jobs.Tests)
for project in tests/*/*.Tests.csproj; do
  dir=$(dirname "$project")
  case " tests/Culprit.Kernel.Tests tests/Culprit.Cli.Tests ${other[*]} " in *" $dir "*) ;; *) other+=("$dir") ;; esac
done
( lane cli tests/Culprit.Cli.Tests 2>&1 | sed -u 's/^/[cli] /' ) &
( lane other "${other[@]}" 2>&1 | sed -u 's/^/[other] /' ) &
wait

sum() { # attribute name -> total over all TRX files
  cat "$results"/*/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}'
}
passed=$(sum passed)
failed=$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) ))
total=$(sum total)
executed=$(sum executed)
skipped=$(( total - executed ))
status=0
for name in kernel cli other; do
  [ "$(cat "$results/$name.status" 2>/dev/null)" = 0 ] || status=1
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # a run broke before its results were written (crash, hang killed by --blame-hang)
fi
line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
exit 0
