namespace Culprit.Core.Simulation;

/// <summary>
/// Draws scenarios from the benchmark's distribution: 50–10,000 commits (log-uniform), repro chance
/// 0.05–1.0, 0–3 extra manifestations with their own titles (half of them sharing the bug's alt
/// title, the others recognisable only by having been seen on the bad commit), unrelated crashes at
/// 0–10 % per run from one to four other bugs, broken builds 0–10 % of commits, infra errors 0–20 %
/// of runs, a build of 5–25 minutes and a run of 1–7 minutes.
/// </summary>
public static class ScenarioGenerator
{
    private static readonly string[] Kinds =
    [
        "KASAN: use-after-free Read in", "KASAN: slab-out-of-bounds Write in", "WARNING in",
        "general protection fault in", "INFO: task hung in", "possible deadlock in",
        "KMSAN: uninit-value in", "BUG: unable to handle kernel paging request in", "kernel BUG in",
        "memory leak in",
    ];

    private static readonly string[] Subsystems =
    [
        "tcp", "ext4", "io_uring", "nf_tables", "hci", "btrfs", "sco", "usb", "l2cap", "xfs", "bpf",
        "netlink", "f2fs", "kvm", "snd_pcm", "rds", "tipc", "nilfs", "hfs", "vhost",
    ];

    private static readonly string[] Functions =
    [
        "close", "release", "sendmsg", "submit", "destroy", "rcv", "flush", "init", "free", "lookup",
        "connect", "poll", "ioctl", "write_iter", "evict",
    ];

    public static Scenario Generate(int index, int seed, ScenarioKnobs? knobs = null)
    {
        knobs ??= ScenarioKnobs.None;
        var caseSeed = SimRandom.Mix((ulong)(uint)seed, (ulong)index);
        var rng = new SimRandom(caseSeed);
        var commits = knobs.Commits ?? (int)Math.Round(Math.Exp(rng.Uniform(Math.Log(50), Math.Log(10_000))));
        var reproChance = knobs.ReproChance ?? rng.Uniform(0.05, 1.0);
        var extras = knobs.ExtraManifestations ?? rng.Next(4);
        var unrelatedRate = knobs.UnrelatedRate ?? rng.Uniform(0, 0.10);
        var brokenRate = knobs.BrokenRate ?? rng.Uniform(0, 0.10);
        var infraRate = knobs.InfraRate ?? rng.Uniform(0, 0.20);
        // Drawn even when priced, so that the same (seed, index) gives the same range and bug.
        var buildSeconds = rng.Uniform(300, 1500);
        var runSeconds = rng.Uniform(60, 420);
        buildSeconds = knobs.BuildSeconds ?? buildSeconds;
        runSeconds = knobs.RunSeconds ?? runSeconds;

        var graph = HistoryGenerator.Generate(rng, commits);
        var names = new TitleMaker(rng);
        var manifestations = BugManifestations(rng, names, extras);
        var unrelated = Enumerable.Range(0, 1 + rng.Next(4))
            .Select(i => new Manifestation(names.Next(), [], 1.0 / (i + 1)))
            .ToList();

        var parents = ParentIndexes(graph);
        var broken = new bool[graph.Count];
        for (var c = 1; c < graph.Count; c++)
        {
            broken[c] = rng.Chance(brokenRate);
        }
        var buildable = Enumerable.Range(0, graph.Count).Where(c => !broken[c]).ToList();
        var culprit = buildable[rng.Next(buildable.Count)];
        var hasBug = Descendants(parents, culprit);

        // Noise is left out only now, so that every draw above (range, culprit, titles) is the same as with it.
        var without = knobs.Without;
        if (without.HasFlag(ScenarioNoise.ExtraTitles))
        {
            manifestations = manifestations.Take(1).ToList();
        }
        if (without.HasFlag(ScenarioNoise.UnrelatedCrashes))
        {
            unrelatedRate = 0;
        }
        if (without.HasFlag(ScenarioNoise.BrokenBuilds))
        {
            brokenRate = 0;
            Array.Clear(broken);
        }
        if (without.HasFlag(ScenarioNoise.InfraErrors))
        {
            infraRate = 0;
        }
        var right = RightAnswer(parents, broken, hasBug, culprit).Select(c => graph.Commits[c]).ToList();

        return new Scenario(index, caseSeed, graph, culprit, reproChance, manifestations, unrelatedRate, unrelated,
            brokenRate, infraRate, buildSeconds, runSeconds, broken, hasBug, right);
    }

    private static List<Manifestation> BugManifestations(SimRandom rng, TitleMaker names, int extras)
    {
        var primary = names.Next();
        var cluster = names.Next();
        var list = new List<Manifestation> { new(primary, [cluster], 1.0) };
        for (var i = 0; i < extras; i++)
        {
            var title = names.Next();
            IReadOnlyList<string> alts = rng.Chance(0.5) ? [cluster] : [names.Next()];
            list.Add(new Manifestation(title, alts, rng.Uniform(0.1, 0.6)));
        }
        return list;
    }

    internal static int[][] ParentIndexes(Domain.CommitGraph graph) =>
        Enumerable.Range(0, graph.Count).Select(i => graph.RangeParentsAt(i).ToArray()).ToArray();

    /// <summary>The culprit and its descendants: the commits that have the bug.</summary>
    internal static bool[] Descendants(int[][] parents, int culprit)
    {
        // rev-list order puts children before parents, so one pass from the oldest end suffices.
        var has = new bool[parents.Length];
        for (var c = parents.Length - 1; c >= 0; c--)
        {
            has[c] = c == culprit || parents[c].Any(p => has[p]);
        }
        return has;
    }

    /// <summary>
    /// The culprit plus every broken ancestor of it that no buildable commit can tell apart from it:
    /// all of whose buildable descendants have the bug.
    /// </summary>
    internal static List<int> RightAnswer(int[][] parents, bool[] broken, bool[] hasBug, int culprit)
    {
        var children = new List<int>[parents.Length];
        for (var c = 0; c < parents.Length; c++)
        {
            children[c] = [];
        }
        for (var c = 0; c < parents.Length; c++)
        {
            foreach (var p in parents[c])
            {
                children[p].Add(c);
            }
        }
        var ancestors = new HashSet<int>();
        var stack = new Stack<int>([culprit]);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            if (ancestors.Add(c))
            {
                foreach (var p in parents[c])
                {
                    stack.Push(p);
                }
            }
        }
        var right = new List<int>();
        foreach (var x in ancestors.Order())
        {
            if (x == culprit || (broken[x] && OnlyBuggyBuildableDescendants(x, children, broken, hasBug)))
            {
                right.Add(x);
            }
        }
        return right;
    }

    private static bool OnlyBuggyBuildableDescendants(int start, List<int>[] children, bool[] broken, bool[] hasBug)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>([start]);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            if (!seen.Add(c))
            {
                continue;
            }
            foreach (var child in children[c])
            {
                if (hasBug[child])
                {
                    continue;
                }
                if (!broken[child])
                {
                    return false;
                }
                stack.Push(child);
            }
        }
        return true;
    }

    /// <summary>Distinct, syzbot-looking crash titles.</summary>
    internal sealed class TitleMaker(SimRandom rng)
    {
        private readonly HashSet<string> _used = [];

        /// <summary>Titles already taken (a world's new titles must differ from the scenario's).</summary>
        public TitleMaker Taking(IEnumerable<string> titles)
        {
            _used.UnionWith(titles);
            return this;
        }

        public string Next()
        {
            while (true)
            {
                var title = $"{Kinds[rng.Next(Kinds.Length)]} {Subsystems[rng.Next(Subsystems.Length)]}_{Functions[rng.Next(Functions.Length)]}";
                if (_used.Add(title))
                {
                    return title;
                }
            }
        }
    }
}
