using Culprit.Core.Domain;
using Culprit.Core.Strategies;
using Culprit.Processes;
using Xunit.Abstractions;

namespace Culprit.Git.Tests;

/// <summary>
/// The property that makes the classic strategy trustworthy: on generated repositories (linear and
/// merge-heavy, random culprit, random broken builds) it tests exactly the commits real
/// <c>git bisect run</c> tests, in the same order (as <c>git bisect log</c> lists them), and names
/// the same first bad commit; where skips leave git inconclusive it is inconclusive too, with the
/// true culprit and git's candidates among its own. Large Linux-shaped ranges
/// (<c>mkbighistory.sh</c>, 5k–20k commits) exercise git's "about halfway" shortcut.
/// </summary>
public sealed class ClassicStrategyMatchesGitBisectTests(ITestOutputHelper output)
{
    private const int Cases = 200;

    [Fact]
    public async Task Classic_strategy_names_the_same_culprit_as_git_bisect_run_on_generated_repositories()
    {
        using var temp = new TempDir("culprit-prop");
        var results = new CaseResult[Cases];
        await Parallel.ForEachAsync(Enumerable.Range(0, Cases), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (seed, ct) =>
        {
            results[seed] = await RunCaseAsync(temp.Sub($"r{seed}"), seed);
        });

        var failures = results.Where(r => r.Failure is not null).ToList();
        output.WriteLine($"cases: {Cases}; git found: {results.Count(r => r.GitFound)}, git inconclusive: {results.Count(r => !r.GitFound)}; " +
            $"identical answers: {results.Count(r => r.Identical)}; merge-heavy: {results.Count(r => r.Merges > 0)}; max commits: {results.Max(r => r.Commits)}");
        foreach (var f in failures.Take(10))
        {
            output.WriteLine(f.Failure);
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task With_paths_the_classic_strategy_names_what_git_bisect_start_with_paths_names()
    {
        // `--paths`: the range is the commits touching the paths (here where "bug" or "broken" flips), as for git bisect start BAD GOOD -- PATHS.
        // git walks every commit of the range, weighing those that touch none of the paths 0; Culprit bisects
        // the path-limited listing (rev-list's rewritten parents) and knows each commit's own parents, so
        // its commits are git's, in git's order (22 of these 40 differed before the bad commit that touches none
        // of the paths went uncounted and a commit whose own parent touches none of them stopped being a root).
        using var temp = new TempDir("culprit-prop-paths");
        var results = new CaseResult[40];
        await Parallel.ForEachAsync(Enumerable.Range(0, results.Length), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (seed, ct) =>
        {
            results[seed] = await RunCaseAsync(temp.Sub($"r{seed}"), 1000 + seed, ["bug", "broken"]);
        });

        var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure).ToList();
        output.WriteLine($"path-limited cases: {results.Length}; git found: {results.Count(r => r.GitFound)}; merge-heavy: {results.Count(r => r.Merges > 0)}");
        failures.ForEach(output.WriteLine);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task With_first_parent_the_classic_strategy_tests_what_git_bisect_start_first_parent_tests()
    {
        // `--first-parent`: only the tip's first-parent line is bisected; a bug brought in on a merged
        // branch is blamed on its merge, and the branch's own commits (broken ones too) are never tested.
        using var temp = new TempDir("culprit-prop-first-parent");
        var results = new CaseResult[40];
        await Parallel.ForEachAsync(Enumerable.Range(0, results.Length), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
        {
            // Merge-heavy histories only (seed % 3 picks the merge rate; 0 is linear).
            var seed = 2002 + 3 * i + i % 2;
            results[i] = await RunCaseAsync(temp.Sub($"r{i}"), seed, firstParent: true);
        });

        var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure).ToList();
        output.WriteLine($"first-parent cases: {results.Length}; git found: {results.Count(r => r.GitFound)}; merge-heavy: {results.Count(r => r.Merges > 0)}; " +
            $"a merge named: {results.Count(r => r.NamedMerge)}");
        Assert.Empty(failures);
        Assert.All(results, r => Assert.True(r.Merges > 0));
        // The property is about merges: some cases must blame one.
        Assert.Contains(results, r => r.NamedMerge);
    }

    [Fact]
    public async Task With_two_good_commits_the_classic_strategy_tests_what_git_bisect_start_with_both_tests()
    {
        // `--good A --good B`: the range leaves out what either reaches, as for git bisect start BAD A B.
        using var temp = new TempDir("culprit-prop-two-goods");
        var results = new CaseResult[40];
        await Parallel.ForEachAsync(Enumerable.Range(0, results.Length), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) =>
        {
            results[i] = await RunCaseAsync(temp.Sub($"r{i}"), 3000 + i, secondGood: true);
        });

        var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure).ToList();
        output.WriteLine($"two-good cases: {results.Length}; with two: {results.Count(r => r.Goods == 2)}; git found: {results.Count(r => r.GitFound)}; merge-heavy: {results.Count(r => r.Merges > 0)}");
        Assert.Empty(failures);
        Assert.True(results.Count(r => r.Goods == 2) >= 30);
    }

    private static async Task<CaseResult> RunCaseAsync(string path, int seed, IReadOnlyList<string>? paths = null, bool firstParent = false, bool secondGood = false)
    {
        var rng = new Random(seed * 7919);
        var commits = 10 + rng.Next(seed % 4 == 0 ? 300 : 120);
        var mergeRate = (seed % 3) switch { 0 => 0.0, 1 => 0.12, _ => 0.3 };
        var brokenRate = (seed % 5) switch { 0 => 0.0, 1 => 0.05, 2 => 0.1, 3 => 0.2, _ => 0.35 };
        var repo = await GeneratedRepository.CreateAsync(path, seed, commits, mergeRate, brokenRate);
        var tip = repo.Hashes[^1];
        var root = repo.Hashes[0];
        var merges = repo.Parents.Count(p => p.Length > 1);

        // A second good commit: an ancestor of the tip without the bug, drawn from the history.
        List<string> goods = [root];
        if (secondGood)
        {
            var ancestors = (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", repo.Path, "rev-list", tip))).StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(repo.IndexOf).Where(i => i > 0 && !repo.HasBug[i]).Order().ToList();
            if (ancestors.Count > 0)
            {
                goods.Add(repo.Hashes[ancestors[rng.Next(ancestors.Count)]]);
            }
        }
        var git = await GitBisectRunAsync(repo.Path, tip, goods, paths: paths, firstParent: firstParent);
        var (ours, tested) = await ClassicAsync(repo.Path, tip, goods, hash => OutcomeOf(repo, hash), paths, firstParent: firstParent);
        var culprit = repo.Hashes[repo.Culprit];
        var namedMerge = ours.Culprit is { } named && repo.Parents[repo.IndexOf(named)].Length > 1;
        if (firstParent)
        {
            // Along first parents the answer is git's alone: the merge that brought the bug in, or git's candidates.
            var sequence = SequenceFailure($"first-parent seed {seed}", git.Tested, tested);
            var same = git.Found is { } f ? ours.Kind == ResultKind.Found && ours.Culprit == f
                : ours.Kind == ResultKind.Inconclusive && git.Candidates.Where(c => repo.IndexOf(c) > 0).All(ours.Candidates.Contains);
            var firstParentFailure = sequence ?? (same ? null
                : $"first-parent seed {seed}: git said {git.Found ?? string.Join(",", git.Candidates)}, Culprit {ours.Kind} {string.Join(",", ours.Candidates)}");
            return new CaseResult(git.Found is not null, same, repo.Parents.Count(p => p.Length > 1), repo.Count, firstParentFailure, namedMerge);
        }
        string? failure = SequenceFailure((paths is null ? "" : "paths ") + seed.ToString(System.Globalization.CultureInfo.InvariantCulture), git.Tested, tested);
        if (failure is null && git.Found is { } gitCulprit)
        {
            if (ours.Kind != ResultKind.Found || ours.Culprit != gitCulprit)
            {
                failure = $"seed {seed}: git found {gitCulprit}, Culprit said {ours.Kind} {string.Join(",", ours.Candidates)}";
            }
        }
        else if (failure is null)
        {
            var missing = git.Candidates.Where(c => repo.IndexOf(c) > 0).Except(ours.Candidates).ToList();
            if (ours.Kind != ResultKind.Inconclusive || !ours.Candidates.Contains(culprit) || missing.Count > 0)
            {
                failure = $"seed {seed}: git inconclusive ({string.Join(",", git.Candidates)}), Culprit said {ours.Kind} ({string.Join(",", ours.Candidates)}), culprit {culprit}";
            }
        }
        // With K workers a round tests the top of git's decision tree: git's answer, git's path among the commits tested.
        foreach (var workers in failure is null ? [2, 3] : Array.Empty<int>())
        {
            var (rounds, roundTested) = await ClassicAsync(repo.Path, tip, goods, hash => OutcomeOf(repo, hash), paths, workers);
            if (rounds.Kind != ours.Kind || rounds.Culprit != ours.Culprit || !rounds.Candidates.Order().SequenceEqual(ours.Candidates.Order()))
            {
                failure = $"seed {seed}: one worker said {ours.Kind} {ours.Culprit} ({string.Join(",", ours.Candidates)}), {workers} workers {rounds.Kind} {rounds.Culprit} ({string.Join(",", rounds.Candidates)})";
            }
            else if (git.Tested.Except(roundTested).FirstOrDefault() is { } missed)
            {
                failure = $"seed {seed}: git tested {missed}, {workers} workers did not";
            }
        }
        var identical = git.Found is not null ? ours.Culprit == git.Found : ours.Candidates.Order().SequenceEqual(git.Candidates.Order());
        return new CaseResult(git.Found is not null, identical, merges, repo.Count, failure, Goods: goods.Count);
    }

    [Fact]
    public async Task Classic_strategy_tests_git_bisects_commits_on_large_linux_shaped_ranges()
    {
        using var temp = new TempDir("culprit-prop-big");
        var failures = new List<string>();
        var steps = 0;
        foreach (var (commits, bugAt, seed) in new[] { (5_000, 0, 1), (12_000, 7_001, 2), (20_000, 4_321, 3) })
        {
            var history = await BigHistory.CreateAsync(temp.Sub($"h{commits}"), commits, bugAt, seed);
            var git = await GitBisectRunAsync(history.Path, history.Bad, [history.Good], "[ ! -e bug ]");
            var (ours, tested) = await ClassicAsync(history.Path, history.Bad, [history.Good],
                hash => new CommitOutcome(hash, true, [history.HasBug(hash) ? RunOutcome.Crash("bug") : RunOutcome.Ok()]));
            steps += tested.Count;
            var (rounds, roundTested) = await ClassicAsync(history.Path, history.Bad, [history.Good],
                hash => new CommitOutcome(hash, true, [history.HasBug(hash) ? RunOutcome.Crash("bug") : RunOutcome.Ok()]), workers: 3);
            if (SequenceFailure($"{commits} commits", git.Tested, tested) is { } failure)
            {
                failures.Add(failure);
            }
            else if (ours.Culprit != git.Found || git.Found != history.Culprit)
            {
                failures.Add($"{commits} commits: git found {git.Found}, Culprit {ours.Culprit}, planted {history.Culprit}");
            }
            else if (rounds.Culprit != git.Found || git.Tested.Except(roundTested).Any())
            {
                failures.Add($"{commits} commits, 3 workers: found {rounds.Culprit}, git's path tested: {git.Tested.All(roundTested.Contains)}");
            }
        }
        output.WriteLine($"large ranges: {steps} steps compared");
        Assert.Empty(failures);
    }

    /// <summary>The first step where the two sequences of tested commits part, or null when they are the same.</summary>
    private static string? SequenceFailure(string what, IReadOnlyList<string> git, IReadOnlyList<string> ours)
    {
        for (var i = 0; i < Math.Max(git.Count, ours.Count); i++)
        {
            var g = i < git.Count ? git[i] : "(none)";
            var o = i < ours.Count ? ours[i] : "(none)";
            if (g != o)
            {
                return $"{what}: step {i + 1} of {git.Count}: git tested {g}, Culprit {o}";
            }
        }
        return null;
    }

    /// <summary>The classic strategy's answer and tested commits; with more workers, round by round (each round's outcomes recorded newest result last).</summary>
    internal static async Task<(BisectionResult Result, List<string> Tested)> ClassicAsync(string path, string tip, IReadOnlyList<string> goods, Func<string, CommitOutcome> outcomeOf,
        IReadOnlyList<string>? paths = null, int workers = 1, bool firstParent = false)
    {
        var git = await GitRepository.OpenAsync(path);
        var graph = await git.RangeAsync(tip, goods, new RangeFilter(paths, firstParent));
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
        strategy.Record(outcomeOf(tip));
        var tested = new List<string>();
        for (var guard = 0; guard < 10_000; guard++)
        {
            switch (workers == 1 ? strategy.Next() : strategy.NextRound(workers))
            {
                case Finished f:
                    return (f.Result, tested);
                case TestCommit t:
                    tested.Add(t.Commit);
                    strategy.Record(outcomeOf(t.Commit));
                    break;
                case TestRound r:
                    // A round's tests finish in any order: here the last one first.
                    foreach (var t in r.Tests.Reverse())
                    {
                        tested.Add(t.Commit);
                        strategy.Record(outcomeOf(t.Commit));
                    }
                    break;
            }
        }
        throw new InvalidOperationException("the strategy did not finish");
    }

    private static CommitOutcome OutcomeOf(GeneratedRepository repo, string hash)
    {
        var i = repo.IndexOf(hash);
        if (repo.Broken.Contains(i))
        {
            return CommitOutcome.BuildFailed(hash, "broken");
        }
        return new CommitOutcome(hash, true, [repo.HasBug[i] ? RunOutcome.Crash("bug") : RunOutcome.Ok()]);
    }

    private const string GeneratedScript = "if [ \"$(cat broken)\" = 1 ]; then exit 125; fi; [ \"$(cat bug)\" = 0 ]";

    internal static async Task<(string? Found, List<string> Candidates, List<string> Tested)> GitBisectRunAsync(
        string path, string bad, IReadOnlyList<string> goods, string script = GeneratedScript, IReadOnlyList<string>? paths = null, bool firstParent = false)
    {
        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", ["-C", path, "bisect", "start", .. firstParent ? ["--first-parent"] : Array.Empty<string>(), bad, .. goods, "--", .. paths ?? []]));
        var run = await ProcessRunner.RunAsync(ProcessSpec.Of("git", "-C", path, "bisect", "run", "sh", "-c", script));
        var tested = await BisectLogTestedAsync(path);
        var lines = run.Output.Split('\n');
        var found = lines.Select(l => l.Trim()).FirstOrDefault(l => l.EndsWith(" is the first bad commit", StringComparison.Ordinal));
        if (found is not null)
        {
            return (found.Split(' ')[0], [], tested);
        }
        var start = Array.FindIndex(lines, l => l.StartsWith("The first bad commit could be any of:", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"unexpected git bisect output:\n{run.Output}");
        }
        var candidates = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("We cannot bisect more", StringComparison.Ordinal))
            .Select(l => l.Trim()).Where(l => l.Length == 40).ToList();
        return (null, candidates, tested);
    }

    /// <summary>The commits <c>git bisect run</c> tested, in order: the verdict lines of <c>git bisect log</c> after the start.</summary>
    private static async Task<List<string>> BisectLogTestedAsync(string path)
    {
        var log = await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", path, "bisect", "log"));
        var tested = new List<string>();
        var started = false;
        foreach (var line in log.StandardOutput.Split('\n'))
        {
            var parts = line.Trim().Split(' ');
            if (parts is ["git", "bisect", "start", ..])
            {
                started = true;
            }
            else if (started && parts is ["git", "bisect", "good" or "bad" or "skip", var hash])
            {
                tested.Add(hash);
            }
        }
        return tested;
    }

    private sealed record CaseResult(bool GitFound, bool Identical, int Merges, int Commits, string? Failure, bool NamedMerge = false, int Goods = 1);
}
