#!/usr/bin/env bash
# Scale benchmark: Culprit's engine on Linux-shaped histories (scripts/mkbighistory.sh) beside
# `git rev-list --parents` and `git bisect run` on the same repositories; one commit per test,
# `--build true`, test `[ ! -e bug ]`.
#   bench/scale.sh [N...]            (default: 10000 100000 1300000)
#   CACHE=DIR bench/scale.sh ...     where the histories are kept (default ~/.cache/culprit-bench)
# Per size and tool: wall seconds and peak RSS (/usr/bin/time, which counts a waited-for child
# such as git rev-list too); for Culprit also the time to the first bisection `testing commit`
# (after `# git bisect start`), the longest gap between a verdict and the next `Bisecting:` line
# (the decision, plus one `git show`), and `culprit resume` to its next test after a kill -9 (each strategy,
# KILLS times, default 3: the median, then each).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache=${CACHE:-$HOME/.cache/culprit-bench}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1300000)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"
"$root/culprit" --help > /dev/null   # build the CLI outside the timings

# Seconds since the shell's clock read just before the command was started (export T0 first), read
# per line by bash itself ($EPOCHREALTIME, no process per line): a filter that must start first, as
# Python must, competes with the command for the processors and its own start is left out.
stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done | awk -v t0="$T0" '{ t = $1; sub(/^[^ ]+ /, ""); printf "%.3f %s\n", t - t0, $0; fflush() }'; }

# seconds from the start of the log to the first `testing commit` after `# git bisect start` and
# from `# git bisect start` to it (range load + first decision); the
# longest verdict -> `Bisecting:` gap; whether the planted culprit was named.
summarise() {
  awk -v culprit="$2" '
    / # git bisect start / { started = 1; start = $1 }
    started && / testing commit / && !first { first = $1; load = $1 - start }
    / # git bisect (good|bad|skip) / { verdict = $1 }
    / Bisecting: / && verdict { gap = $1 - verdict; if (gap > max) max = gap; verdict = 0 }
    / first bad commit: / { found = ($5 == culprit) }
    END { printf "%.2f %.2f %.3f %s", first, load, max, found ? "found" : "WRONG" }' "$1"
}

printf '%-8s %-15s %8s %8s %10s %8s %9s %7s\n' commits tool wall_s rss_MB first_test load_s decision result
for n in "${sizes[@]}"; do
  repo="$cache/bighistory-$n"
  [ -d "$repo" ] || bash "$root/scripts/mkbighistory.sh" "$n" "$repo" > /dev/null
  culprit=$(git -C "$repo" rev-parse bh-culprit)

  /usr/bin/time -f '%e %M' -o "$work/t" git -C "$repo" rev-list --parents bh-bad --not bh-good > /dev/null
  read -r wall rss < "$work/t"
  printf '%-8s %-15s %8s %8d\n' "$n" "git rev-list" "$wall" $((rss / 1024))

  if [ "$n" -gt "${GIT_BISECT_MAX:-200000}" ]; then
    # git's merge counting is super-linear: `git bisect start` alone took 3,270 s at 1.3 M (issue 12).
    printf '%-8s %-15s %8s\n' "$n" "git bisect run" "skipped (above GIT_BISECT_MAX=${GIT_BISECT_MAX:-200000})"
  else
  git -C "$repo" bisect reset -q > /dev/null 2>&1 || true
  /usr/bin/time -f '%e %M' -o "$work/t" sh -c 'git -C "$1" bisect start bh-bad bh-good > /dev/null 2>&1 && git -C "$1" bisect run sh -c "[ ! -e bug ]" > "$2" 2>&1' _ "$repo" "$work/git.log"
  read -r wall rss < "$work/t"
  git_found=$(grep -q "^$culprit is the first bad commit" "$work/git.log" && echo found || echo WRONG)
  git -C "$repo" bisect reset -q > /dev/null 2>&1 || true
  printf '%-8s %-15s %8s %8d %10s %8s %9s %7s\n' "$n" "git bisect run" "$wall" $((rss / 1024)) - - - "$git_found"
  fi

  for strategy in classic flaky; do
    store="$work/$strategy-$n.db"
    export T0=$(date +%s.%N)
    /usr/bin/time -f '%e %M' -o "$work/t" "$root/culprit" bisect --repo "$repo" --bad bh-bad --good bh-good \
      --build true --test '[ ! -e bug ]' --strategy "$strategy" --no-verify --store "$store" 2>&1 | stamp > "$work/$strategy.log"
    read -r wall rss < "$work/t"
    read -r first load decision found <<< "$(summarise "$work/$strategy.log" "$culprit")"
    printf '%-8s %-15s %8s %8d %10s %8s %9s %7s\n' "$n" "culprit $strategy" "$wall" $((rss / 1024)) "$first" "$load" "$decision" "$found"
  done

  # Resume: kill -9 a job after its fourth bisection verdict, then time `resume` to its next test: the
  # start of the next commit's build, which the build command stamps (a round's log lines are written
  # once its test is stored, so the log would say when the test ended). Each strategy with its default
  # workers (classic 1; flaky what the machine allows, rounds of several), KILLS times (default 3: where
  # the kill lands changes what the resume has to do); the median is printed, every time after it.
  for strategy in classic flaky; do
    nexts=()
    all_found=found
    for kill in $(seq "${KILLS:-3}"); do
      store="$work/resume-$strategy-$n-$kill.db"
      builds="$work/builds-$strategy-$n-$kill"
      export T0=$(date +%s.%N)
      ( "$root/culprit" bisect --repo "$repo" --bad bh-bad --good bh-good --build "date +%s.%N >> $builds" --test '[ ! -e bug ]' \
          --strategy "$strategy" --no-verify --store "$store" 2>&1 & echo $! > "$work/pid"; wait ) 2>/dev/null | stamp > "$work/killed.log" &
      reader=$!
      while [ "$(grep -c ' # git bisect \(good\|bad\) ' "$work/killed.log" 2>/dev/null || true)" -lt 4 ]; do sleep 0.2; done
      kill -9 "$(cat "$work/pid")" 2>/dev/null || true
      wait "$reader" 2>/dev/null || true
      job=$("$root/culprit" jobs --store "$store" | awk 'NR == 2 { print $1 }')
      export T0=$(date +%s.%N)
      "$root/culprit" resume "$job" --store "$store" 2>&1 | stamp > "$work/resume.log" || true
      nexts+=("$(awk -v t0="$T0" '$1 > t0 { printf "%.3f", $1 - t0; exit }' "$builds")")
      grep -q "first bad commit: $culprit" "$work/resume.log" || all_found=WRONG
    done
    median=$(printf '%s\n' "${nexts[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    printf '%-8s %-15s %8s %8s %10s %8s %9s %7s  (each: %s)\n' "$n" "resume $strategy" - - "$median" - - "$all_found" "${nexts[*]}"
  done
done
