#!/bin/sh
# JOBS demo-sized jobs (the demo repository, classic strategy, 3 runs a commit) submitted at once to
# one node of `culprit serve`, then to three nodes sharing a throwaway PostgreSQL (jobs spread over
# the nodes in turn): jobs finished per minute and the most commit tests that ran at once (the
# cluster's busy build slots, sampled from GET /api/cluster every 0.5 s). A note, not a timed test:
# the figures depend on how loaded the machine is, so the load average is printed beside them.
# usage: bench/service.sh [BUILDS=2] [JOBS=12] [NODES="1 3"]   (after: dotnet build src/Culprit.Cli -c Release)
# Three nodes need PostgreSQL 15 (scripts/install-deps.sh); under root its server runs as the
# `postgres` user through setpriv, as tests/Culprit.TestSupport/PostgresServer.cs does.
set -eu
builds=${1:-2}
jobs=${2:-12}
counts=${3:-1 3}
dll="$(cd "$(dirname "$0")/.." && pwd)/src/Culprit.Cli/bin/Release/net10.0/culprit.dll"
pgbin=/usr/lib/postgresql/15/bin
tmp=$(mktemp -d /tmp/culprit-bench-service.XXXXXX)
pids=""
pgdata=""
as_pg=""
stop_all() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for p in $pids; do wait "$p" 2>/dev/null || true; done
  pids=""
  if [ -n "$pgdata" ]; then $as_pg "$pgbin/pg_ctl" stop -D "$pgdata" -m immediate -w >/dev/null 2>&1 || true; pgdata=""; fi
}
pg=""
trap 'stop_all; rm -rf "$tmp" $pg' EXIT
dotnet "$dll" demo --dir "$tmp/demo" --runs 1 --strategy classic --store "$tmp/demo.db" >/dev/null

# A free TCP port of 127.0.0.1 (the kernel picks it).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts a throwaway PostgreSQL in its own temp directory (the server's user must reach it: $tmp is
# private to us) and sets $cluster to its connection string.
start_postgres() {
  pg=$(mktemp -d /tmp/culprit-bench-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    user=postgres; id "$user" >/dev/null 2>&1 || user=nobody
    chown -R "$(id -u "$user"):$(id -g "$user")" "$pg"
    as_pg="setpriv --reuid=$(id -u "$user") --regid=$(id -g "$user") --clear-groups --"
  fi
  $as_pg "$pgbin/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null
  port=$(free_port)
  pgdata="$pg/data"
  $as_pg "$pgbin/pg_ctl" start -D "$pgdata" -w -l "$pg/log" \
    -o "-p $port -h 127.0.0.1 -k $pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
  $as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres culprit_bench
  cluster="Host=127.0.0.1;Port=$port;Username=postgres;Database=culprit_bench"
}

# run NODES: starts the nodes, submits the jobs, waits for all to end, prints one line of figures.
run() {
  nodes=$1
  set --
  if [ "$nodes" -gt 1 ]; then start_postgres; set -- --cluster "$cluster"; fi
  urls=""
  n=0
  while [ "$n" -lt "$nodes" ]; do
    out="$tmp/serve$nodes-$n.out"
    dotnet "$dll" serve --urls http://127.0.0.1:0 --work "$tmp/work$nodes-$n" --builds "$builds" "$@" >"$out" 2>&1 &
    pids="$pids $!"
    until grep -qs 'listening on' "$out"; do
      kill -0 "$!" 2>/dev/null || { echo "culprit serve did not start:" >&2; cat "$out" >&2; exit 1; }
      sleep 0.2
    done
    urls="$urls $(grep -o 'http://127.0.0.1:[0-9]*' "$out" | head -1)"
    n=$((n + 1))
  done
  url=$(echo "$urls" | awk '{print $1}')
  start=$(date +%s.%N)
  i=0
  submits=""
  for target in $(i=0; while [ "$i" -lt "$jobs" ]; do echo "$urls" | awk -v k=$((i % nodes + 1)) '{print $k}'; i=$((i + 1)); done); do
    dotnet "$dll" submit --server "$target" --repo "$tmp/demo" --bad HEAD --build make --test ./test.sh \
      --runs 3 --strategy classic >/dev/null &
    submits="$submits $!"
  done
  for s in $submits; do wait "$s"; done
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
  # Why a job did not finish: the last lines of its log.
  for id in $(curl -s "$url/api/jobs" | python3 -c 'import json,sys; [print(j["id"]) for j in json.load(sys.stdin) if j["state"] in ("failed","stopped")]'); do
    echo "job $id did not finish; its log ends:" >&2
    curl -s "$url/api/jobs/$id/log" | tail -5 >&2
  done
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "$jobs jobs on $nodes node(s) (--builds $builds each): $(echo "$end - $start" | bc) s, $(echo "scale=1; $jobs * 60 / ($end - $start)" | bc) jobs/min, at most $peak commit tests at once, $failed not finished (load average $load, $(nproc) cores)"
  stop_all
}

for nodes in $counts; do run "$nodes"; done
