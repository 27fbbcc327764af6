#!/usr/bin/env bash
# Runs every test of Culprit (unit, property, end-to-end with real git, gcc, kernel builds and QEMU)
# after installing what they need, then prints `tests: N passed, M failed[, K skipped]` from the
# TRX results. Exits non-zero when any test failed or none ran.
#
# The solution is built once; then the test projects run in two lanes at once. One `dotnet test` of
# the solution runs them one after another (each project's tests stay on the MSBuild node that built
# it), and most of them wait on git, QEMU or a server more than they compute. The kernel lane keeps
# its order: the CLI's kernel tests compile from the objects Kernel.Tests' builds left in ccache.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-deps.sh || { echo "tests: 0 passed, 1 failed (installing dependencies failed)"; exit 1; }

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"
dotnet build Culprit.slnx -c Release || { echo "tests: 0 passed, 1 failed (the build failed)"; exit 1; }

kernel_lane=(tests/Culprit.Kernel.Tests tests/Culprit.Cli.Tests)
# The longest first, so that the lanes end near each other; then every other test project, so a new
# one is never left out.
other_lane=(tests/Culprit.Git.Tests tests/Culprit.Service.Tests tests/Culprit.Jobs.Tests tests/Culprit.Machines.Tests)
for project in tests/*/*.Tests.csproj; do
  dir=$(dirname "$project")
  case " ${kernel_lane[*]} ${other_lane[*]} " in *" $dir "*) ;; *) other_lane+=("$dir") ;; esac
done

# lane NAME DIR...: the projects one after another, each into its own results folder; the lane's
# status (0: every project passed) goes to $results/NAME.status, its output to stdout, each line
# headed by the lane's name.
lane() {
  local name=$1 status=0 dir
  shift
  for dir in "$@"; do
    dotnet test "$dir" -c Release --no-build --logger trx --results-directory "$results/$(basename "$dir")" \
      --blame-hang --blame-hang-timeout 25m || status=1
  done
  echo "$status" > "$results/$name.status"
}
( lane kernel "${kernel_lane[@]}" 2>&1 | sed -u 's/^/[kernel] /' ) &
( lane other "${other_lane[@]}" 2>&1 | sed -u 's/^/[other] /' ) &
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
for name in kernel other; do
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
