#!/usr/bin/env python3
"""A floor under any policy's machine-minutes on `culprit simulate` scenarios (issue 12's cost target).

  ./culprit simulate --scenarios 1000 --seed 1 --cases cases.jsonl
  bench/cost-bound.py cases.jsonl [--accuracy 0.99] [--build-minutes 6] [--run-minutes 0.6]

Per scenario, a policy that names the culprit of N commits with probability `accuracy` must learn at
least (Fano) accuracy*log2(N) - h(1 - accuracy) bits about it. A tested commit's state is one bit
(the bug or not), so it builds at least that many commits besides the bad one; and a run on a commit
with the bug shows it with chance p (a Z-channel), so no run carries more than that channel's capacity,
and the runs are at least the bits over the capacity. Both floors hold at once, whatever the policy.
The floor leaves out everything that makes the real task harder (p unknown, unrelated crashes,
infra errors, broken builds, the bad commit's own runs, a verification), so no policy comes near it:
it says how close to ideal a cost target asks a policy to be.
"""
import argparse
import json
import math

BUCKETS = [(0.05, 0.10), (0.10, 0.20), (0.20, 0.30), (0.30, 0.50), (0.50, 0.80), (0.80, 1.01)]


def z_channel_capacity(p):
    """Bits per run at most, when a run of a commit with the bug shows it with chance p and a clean one never crashes."""
    miss = 1 - p
    if miss <= 0:
        return 1.0
    return math.log2(1 + p * miss ** (miss / p))


def binary_entropy(x):
    return 0.0 if x <= 0 or x >= 1 else -x * math.log2(x) - (1 - x) * math.log2(1 - x)


def floor_minutes(commits, p, accuracy, build_minutes, run_minutes):
    bits = max(0.0, accuracy * math.log2(commits) - binary_entropy(1 - accuracy))
    return build_minutes * (1 + bits) + run_minutes * bits / z_channel_capacity(p)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", help="the JSONL file of culprit simulate --cases")
    ap.add_argument("--accuracy", type=float, default=0.99, help="the share of culprits named right (default 0.99)")
    ap.add_argument("--build-minutes", type=float, default=6.0)
    ap.add_argument("--run-minutes", type=float, default=0.6)
    ap.add_argument("--world", default="model", help="which world's scenarios, when the file has several (default model)")
    args = ap.parse_args()
    if not 0.5 <= args.accuracy < 1:
        ap.error("--accuracy must be in [0.5, 1)")

    rows = []
    try:
        with open(args.cases, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                try:
                    row = json.loads(line)
                    if row.get("world", "model") != args.world:
                        continue
                    rows.append((row["commits"], row["repro_chance"], row.get("policies", {})))
                except (ValueError, KeyError, TypeError) as e:
                    raise SystemExit(f"cost-bound.py: {args.cases}:{number}: not a culprit simulate --cases line ({e})")
    except OSError as e:
        raise SystemExit(f"cost-bound.py: {args.cases}: {e.strerror}")
    if not rows:
        raise SystemExit(f"cost-bound.py: {args.cases}: no scenarios of world {args.world}")
    policies = sorted({name for _, _, p in rows for name in p})

    def line(label, chosen):
        floor = sum(floor_minutes(n, p, args.accuracy, args.build_minutes, args.run_minutes) for n, p, _ in chosen) / len(chosen)
        costs = []
        for name in policies:
            spent = [pol[name]["cost_minutes"] for _, _, pol in chosen if name in pol]
            costs.append(f"{sum(spent) / len(spent):>9.1f}" if spent else f"{'-':>9}")
        print(f"{label:<11} {len(chosen):>5} {floor:>8.1f} " + " ".join(costs))

    print(f"floor at accuracy {args.accuracy}, a build {args.build_minutes} min, a run {args.run_minutes} min; mean machine-minutes")
    print(f"{'repro':<11} {'cases':>5} {'floor':>8} " + " ".join(f"{name:>9}" for name in policies))
    for lo, hi in BUCKETS:
        chosen = [r for r in rows if lo <= r[1] < hi]
        if chosen:
            line(f"{lo:.2f}-{min(hi, 1):.2f}", chosen)
    line("all", rows)


if __name__ == "__main__":
    main()
