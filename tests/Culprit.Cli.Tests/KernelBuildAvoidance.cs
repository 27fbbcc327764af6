using System.Text.Json;
using Culprit.Git;
using Culprit.Kernel.Build;
using Culprit.Processes;
using Xunit.Abstractions;

namespace Culprit.Cli.Tests;

/// <summary>
/// The soundness of build avoidance on the real test kernel tree: a bisection avoids building some
/// commits (they cannot change the kernel); each of them, built anyway afterwards, has exactly the
/// signature of the commit whose outcome it took. Likewise every commit it took out of the candidates
/// (<c>same as its parent</c>: it builds what its first parent builds) has its first parent's signature. Checked on the classic kernel bisection of
/// <see cref="KernelModeTests"/> (one bisection for both: kernel builds are the suite's dearest part).
/// </summary>
internal static class KernelBuildAvoidance
{
    public static async Task AssertAvoidedCommitsBuildTheirKernelAsync(
        IReadOnlyDictionary<string, string> tree, string runOutput, JsonElement root, TempDir temp, ITestOutputHelper output)
    {
        var lines = runOutput.Split('\n');
        var avoided = lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, "^commit ([0-9a-f]{40}) cannot change the kernel .*: same as ([0-9a-f]{40})$"))
            .Where(m => m.Success).Select(m => (Commit: m.Groups[1].Value, From: m.Groups[2].Value)).ToList();
        Assert.Equal(avoided.Count, root.GetProperty("stats").GetProperty("builds_avoided").GetInt32());
        var dropped = new List<(string Commit, string From)>();
        foreach (var m in lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, "^commit ([0-9a-f]{40}) cannot change the kernel .*: same as its parent$")).Where(m => m.Success))
        {
            var parent = (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", tree["repo"], "rev-parse", m.Groups[1].Value + "^"))).StandardOutput.Trim();
            dropped.Add((m.Groups[1].Value, parent));
        }
        Assert.Equal(dropped.Count, root.GetProperty("stats").GetProperty("candidates_dropped").GetInt32());
        Assert.NotEmpty(avoided.Concat(dropped));
        // The test tree drops about 27 commits; each check is two kernel builds, so four spread over them
        // (the newest, the oldest and two between) are built: a wrong rule shows in any of them.
        if (dropped.Count > 4)
        {
            dropped = [.. Enumerable.Range(0, 4).Select(k => dropped[k * (dropped.Count - 1) / 3]).Distinct()];
        }

        // Build each avoided commit for real, and the commit whose outcome it took, in one worktree of
        // their own, and compare: two builds of the same kernel in the same place have one signature
        // (the job's own builds ran elsewhere, so their images may embed other build paths). The O=
        // directory starts from a copy of the job's first worker's last build, as a job's second worker
        // does, so that the first of these builds is an incremental one and not the whole kernel again.
        var source = temp.Sub("worktree");
        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", tree["repo"], "worktree", "add", "--detach", source, tree["bad"]));
        try
        {
            var jobDir = Directory.GetDirectories(temp.Sub("work"))
                .Single(d => BuildDirectoryCopy.BuiltCommit(Path.Combine(d, "build")) is not null);
            var repo = await GitRepository.OpenAsync(tree["repo"]);
            var seed = BuildDirectorySeed.FromFinishedBuild(Path.Combine(jobDir, "worktree"), Path.Combine(jobDir, "build"),
                Culprit.Jobs.Testers.KernelTester.ChangedFiles(repo),
                ct => GitRepository.RefreshIndexAsync(source, ct));
            var builder = new KernelBuilder(new KernelBuildOptions(source, temp.Sub("build"), tree["config"]) { Ccache = true, Seed = seed });
            var signatureOf = new Dictionary<string, string?>(StringComparer.Ordinal);
            async Task<string?> SignatureOfAsync(string commit)
            {
                if (!signatureOf.TryGetValue(commit, out var signature))
                {
                    await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", source, "checkout", "-q", "--detach", commit));
                    var build = await builder.BuildAsync(commit);
                    output.WriteLine($"{commit[..12]}: built {build.Ok} in {build.Seconds:0} s, signature {build.Signature}" + (build.Note is { } note ? $" ({note})" : ""));
                    Assert.True(build.Ok, build.Error);
                    if (signatureOf.Count == 0)
                    {
                        Assert.StartsWith("O= directory started from a copy of ", build.Note);
                    }
                    signatureOf[commit] = signature = build.Signature;
                }
                return signature;
            }
            foreach (var (commit, from) in avoided.Concat(dropped))
            {
                var judgedBy = await SignatureOfAsync(from);
                Assert.Equal(judgedBy, await SignatureOfAsync(commit));
            }
        }
        finally
        {
            await ProcessRunner.RunAsync(ProcessSpec.Of("git", "-C", tree["repo"], "worktree", "remove", "--force", source));
        }
    }
}
