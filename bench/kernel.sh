#!/usr/bin/env bash
# Kernel benchmark (issue 12): builds, rounds and wall time of three procedures on the kernel test
# tree (scripts/make-test-kernel-tree.sh: v6.1 plus 33 generated commits with one bug):
#   a  syzbot's procedure: classic strategy, one worker, --no-build-avoidance (every commit built)
#   b  the defaults: flaky strategy, one worker, build avoidance and kernel signatures
#   c  b with --workers 2 (rounds of two commits; an idle worker builds ahead speculatively; the second
#      worker's O= directory starts from a copy of the first's build)
#
#   bench/kernel.sh [a b c]       (default: a b c, in that order; b and c run back to back)
#   OUT=DIR bench/kernel.sh --table   print the table of the configs already run in DIR
#   OUT=DIR bench/kernel.sh ...   where each config's store, work dirs, log and JSON go
#                                 (default: a new directory under ~/.cache/culprit-bench; kept, for reading the logs)
#   CACHE=DIR                     where the test tree lives (default ~/.cache/culprit-test)
#
# Every config gets a fresh store and work directory (its own worktrees and O= build directories), so
# none starts from another's builds. None builds through ccache (as syzbot does, and the default: with
# an empty cache ccache only adds its hashing and storing, about 45 % on a cold build here); CCACHE_DIR
# is still set to an empty cache under the config's directory, so that a config run with --ccache by
# hand is handed no other config's object files.
# All run with the same reproducer and test options (--runs 2 --vms 2) and --no-verify (syzbot does
# not build a revert; verification would add the same revert build to each).
# Figures come from each job's --json stats and its log: builds, builds avoided, commits tested,
# rounds (`Bisecting:` lines: one per bisection step, a step of K commits at once counts once),
# speculative builds, build and test seconds, wall seconds, whether the planted culprit was named,
# and the load average when the config started and ended (other work on the machine shows there).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache=${CACHE:-$HOME/.cache/culprit-test}
out=${OUT:-$HOME/.cache/culprit-bench/kernel-$(date -u +%Y%m%dT%H%M%S)}
table_only=0
if [ "${1-}" = --table ]; then table_only=1; shift; [ -n "${OUT-}" ] || { echo "bench/kernel.sh --table needs OUT=DIR" >&2; exit 2; }; fi
configs=("$@"); [ ${#configs[@]} -gt 0 ] || configs=(a b c)
for c in "${configs[@]}"; do
  case $c in a|b|c) ;; *) echo "bench/kernel.sh: unknown config '$c' (a, b or c)" >&2; exit 2 ;; esac
done

[ "$table_only" = 1 ] || bash "$root/scripts/make-test-kernel-tree.sh" "$cache/kernel-tree" > /dev/null
env_file="$cache/kernel-tree/culprit-test-tree.env"
fact() { sed -n "s/^$1=//p" "$env_file"; }
repo=$(fact repo); config=$(fact config); culprit=$(fact culprit)
repro="$root/tests/Culprit.Cli.Tests/data/kernel-repro.c"
mkdir -p "$out"
[ "$table_only" = 1 ] || "$root/culprit" --help > /dev/null   # build the CLI outside the timings

options() {
  case $1 in
    a) echo --strategy classic --workers 1 --no-build-avoidance ;;
    b) echo --workers 1 ;;
    c) echo --workers 2 ;;
  esac
}

load() { cut -d' ' -f1 /proc/loadavg; }

run() {
  local c=$1 dir="$out/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  local start_load start end rc=0
  start_load=$(load); start=$(date +%s.%N)
  # shellcheck disable=SC2046  # the options are words
  CCACHE_DIR="$dir/ccache" "$root/culprit" bisect --kernel --repo "$repo" --bad culprit-test-head --good v6.1 \
    --config "$config" --repro "$repro" --runs 2 --vms 2 --boot-timeout 300 --run-timeout 300 --no-verify \
    $(options "$c") --store "$dir/s.db" --json "$dir/result.json" > "$dir/log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  printf '%s %s %s %s\n' "$rc" "$(echo "$end - $start" | bc)" "$start_load" "$(load)" > "$dir/run"
}

row() {
  local c=$1 dir="$out/$1"
  [ -f "$dir/run" ] || return 0
  local rc wall l0 l1
  read -r rc wall l0 l1 < "$dir/run"
  local rounds spec hits
  rounds=$(grep -c 'Bisecting: ' "$dir/log" || true)
  spec=$(grep -c 'speculative build of ' "$dir/log" || true)
  hits=$(grep -c 'testing commit .*(built already)' "$dir/log" || true)
  if [ -s "$dir/result.json" ]; then
    python3 - "$dir/result.json" "$culprit" "$c" "$rounds" "$spec" "$hits" "$wall" "$l0" "$l1" "$rc" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); s = r["stats"]
culprit, c, rounds, spec, hits, wall, l0, l1, rc = sys.argv[2:]
named = (r.get("culprit") or {}).get("commit")
right = "yes" if named == culprit else f"NO ({r['result']}, rc {rc})"
print(f"{c:<3} {s['builds']:>6} {s.get('builds_avoided', 0):>7} {s['revisions_tested']:>7} {rounds:>6} "
      f"{spec + '/' + hits:>9} {s['build_seconds']:>8.0f} {s['test_seconds']:>7.0f} {float(wall):>7.0f} "
      f"{l0 + '/' + l1:>11}  {right}")
EOF
  else
    printf '%-3s no result (exit %s): see %s/log\n' "$c" "$rc" "$dir"
  fi
}

[ "$table_only" = 1 ] || for c in "${configs[@]}"; do run "$c"; done

echo "kernel test tree: $repo ($(fact commits) commits, culprit ${culprit:0:12}); results in $out"
printf '%-3s %6s %7s %7s %6s %9s %8s %7s %7s %11s  %s\n' \
  cfg builds avoided tested rounds spec/hit build_s test_s wall_s load0/load1 right
for c in a b c; do row "$c"; done
