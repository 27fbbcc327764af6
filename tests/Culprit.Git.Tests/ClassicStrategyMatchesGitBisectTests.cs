using Culprit.Core.Domain;
using Culprit.Core.Strategies;
using Culprit.Processes;
using Xunit.Abstractions;

namespace Culprit.Git.Tests;

/// <summary>
/// The property that makes the classic strategy trustworthy: on generated repositories (linear and
/// merge-heavy, random culprit, random broken builds) it names the same first bad commit as real
/// <c>git bisect run</c>, and where skips leave git inconclusive it is inconclusive too, with the true
/// culprit and git's candidates among its own.
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

    private static async Task<CaseResult> RunCaseAsync(string path, int seed)
    {
        var rng = new Random(seed * 7919);
        var commits = 10 + rng.Next(seed % 4 == 0 ? 300 : 120);
        var mergeRate = (seed % 3) switch { 0 => 0.0, 1 => 0.12, _ => 0.3 };
        var brokenRate = (seed % 5) switch { 0 => 0.0, 1 => 0.05, 2 => 0.1, 3 => 0.2, _ => 0.35 };
        var repo = await GeneratedRepository.CreateAsync(path, seed, commits, mergeRate, brokenRate);
        var tip = repo.Hashes[^1];
        var root = repo.Hashes[0];
        var merges = repo.Parents.Count(p => p.Length > 1);

        var git = await GitBisectRunAsync(repo.Path, tip, root);
        var ours = await ClassicAsync(repo, tip, root);
        var culprit = repo.Hashes[repo.Culprit];
        string? failure = null;
        if (git.Found is { } gitCulprit)
        {
            if (ours.Kind != ResultKind.Found || ours.Culprit != gitCulprit)
            {
                failure = $"seed {seed}: git found {gitCulprit}, Culprit said {ours.Kind} {string.Join(",", ours.Candidates)}";
            }
        }
        else
        {
            var missing = git.Candidates.Where(c => repo.IndexOf(c) > 0).Except(ours.Candidates).ToList();
            if (ours.Kind != ResultKind.Inconclusive || !ours.Candidates.Contains(culprit) || missing.Count > 0)
            {
                failure = $"seed {seed}: git inconclusive ({string.Join(",", git.Candidates)}), Culprit said {ours.Kind} ({string.Join(",", ours.Candidates)}), culprit {culprit}";
            }
        }
        var identical = git.Found is not null ? ours.Culprit == git.Found : ours.Candidates.Order().SequenceEqual(git.Candidates.Order());
        return new CaseResult(git.Found is not null, identical, merges, repo.Count, failure);
    }

    private static async Task<BisectionResult> ClassicAsync(GeneratedRepository repo, string tip, string root)
    {
        var git = await GitRepository.OpenAsync(repo.Path);
        var graph = new CommitGraph(await git.RevListAsync(tip, [root]));
        var strategy = new ClassicStrategy(graph, AnyCrashPolicy.Instance, runs: 1);
        strategy.Record(OutcomeOf(repo, tip));
        for (var guard = 0; guard < 10_000; guard++)
        {
            switch (strategy.Next())
            {
                case Finished f:
                    return f.Result;
                case TestCommit t:
                    strategy.Record(OutcomeOf(repo, t.Commit));
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

    private static async Task<(string? Found, List<string> Candidates)> GitBisectRunAsync(string path, string bad, string good)
    {
        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", path, "bisect", "start", bad, good));
        const string script = "if [ \"$(cat broken)\" = 1 ]; then exit 125; fi; [ \"$(cat bug)\" = 0 ]";
        var run = await ProcessRunner.RunAsync(ProcessSpec.Of("git", "-C", path, "bisect", "run", "sh", "-c", script));
        var lines = run.Output.Split('\n');
        var found = lines.Select(l => l.Trim()).FirstOrDefault(l => l.EndsWith(" is the first bad commit", StringComparison.Ordinal));
        if (found is not null)
        {
            return (found.Split(' ')[0], []);
        }
        var start = Array.FindIndex(lines, l => l.StartsWith("The first bad commit could be any of:", StringComparison.Ordinal));
        if (start < 0)
        {
            throw new InvalidOperationException($"unexpected git bisect output:\n{run.Output}");
        }
        var candidates = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("We cannot bisect more", StringComparison.Ordinal))
            .Select(l => l.Trim()).Where(l => l.Length == 40).ToList();
        return (null, candidates);
    }

    private sealed record CaseResult(bool GitFound, bool Identical, int Merges, int Commits, string? Failure);
}
