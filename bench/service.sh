#!/bin/sh
# One node of `culprit serve` running JOBS demo-sized jobs (the demo repository, classic strategy,
# 3 runs a commit) submitted at once: jobs finished per minute and the most commit tests that ran
# at once (busy build slots, sampled from GET /api/cluster every 0.5 s). A note, not a timed test.
# usage: bench/service.sh [BUILDS=2] [JOBS=12]   (after: dotnet build src/Culprit.Cli -c Release)
set -eu
builds=${1:-2}
jobs=${2:-12}
dll="$(cd "$(dirname "$0")/.." && pwd)/src/Culprit.Cli/bin/Release/net10.0/culprit.dll"
tmp=$(mktemp -d /tmp/culprit-bench-service.XXXXXX)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
dotnet "$dll" demo --dir "$tmp/demo" --runs 1 --strategy classic --store "$tmp/demo.db" >/dev/null
dotnet "$dll" serve --urls http://127.0.0.1:0 --work "$tmp/work" --builds "$builds" >"$tmp/serve.out" 2>&1 &
pid=$!
until grep -q 'listening on' "$tmp/serve.out"; do sleep 0.2; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.out" | head -1)
start=$(date +%s.%N)
i=0
while [ "$i" -lt "$jobs" ]; do
  dotnet "$dll" submit --server "$url" --repo "$tmp/demo" --bad HEAD --build make --test ./test.sh \
    --runs 3 --strategy classic >/dev/null &
  i=$((i + 1))
done
wait_submits() { for j in $(jobs -p); do [ "$j" = "$pid" ] || wait "$j"; done; }
wait_submits
peak=0
while :; do
  busy=$(curl -s "$url/api/cluster" | grep -m1 '"busy"' | tr -dc 0-9)
  [ "${busy:-0}" -gt "$peak" ] && peak=$busy
  done_jobs=$(curl -s "$url/api/jobs" | grep -c '"state": "\(finished\|failed\|stopped\)"' || true)
  [ "$done_jobs" -ge "$jobs" ] && break
  sleep 0.5
done
end=$(date +%s.%N)
failed=$(curl -s "$url/api/jobs" | grep -c '"state": "\(failed\|stopped\)"' || true)
echo "$jobs jobs on 1 node (--builds $builds): $(echo "$end - $start" | bc) s, $(echo "scale=1; $jobs * 60 / ($end - $start)" | bc) jobs/min, at most $peak commit tests at once, $failed not finished"
