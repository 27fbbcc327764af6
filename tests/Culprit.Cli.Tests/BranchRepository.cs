namespace Culprit.Cli.Tests;

/// <summary>
/// A real repository with a merged branch. main: base, m1..m3, (side: break build, fix build, the bug, more), m4, m5, the merge, m6..m8.
/// <c>state</c> says <c>crash</c> from the bug on; <c>build.sh</c> fails where the branch broke it.
/// <see cref="Branch"/> lists the branch's commits in order: break build, fix build, the bug, more;
/// <see cref="MainBeforeMerge"/> is main 5, the merge's first parent.
/// </summary>
internal sealed record BranchRepository(string Path, string Base, string Tip, string Merge, string Bug, IReadOnlyList<string> Branch, string MainBeforeMerge)
{
    /// <summary>The build and test commands of <c>git bisect run</c> and of Culprit for this repository.</summary>
    public const string Build = "sh build.sh";
    public const string Test = "grep -q ok state";

    /// <summary><c>culprit bisect</c> of this repository with its build and test, storing in <paramref name="store"/>, with <paramref name="options"/>.</summary>
    public Task<CliHarness.Run> BisectAsync(string store, params string[] options) =>
        CliHarness.InvokeAsync(["bisect", "--repo", Path, "--build", Build, "--test", Test, "--store", store, .. options]);

    /// <summary>
    /// git's own bisection of this repository (<c>git bisect start</c> with <paramref name="start"/>, then
    /// <c>git bisect run</c> with the same build and test): its output and <c>git bisect log</c>.
    /// </summary>
    public async Task<(string Output, string Log)> GitBisectAsync(params string[] start)
    {
        await TestGit.RunAsync(Path, ["bisect", "start", .. start]);
        var run = await TestGit.RunAsync(Path, "bisect", "run", "sh", "-c", $"{Build} || exit 125; {Test}");
        var log = await TestGit.RunAsync(Path, "bisect", "log");
        await TestGit.RunAsync(Path, "bisect", "reset");
        return (run.StandardOutput, log.StandardOutput);
    }

    /// <summary>A branch <paramref name="name"/> off <paramref name="from"/> with one commit writing <paramref name="files"/>: its hash (main stays checked out).</summary>
    public async Task<string> BranchOffAsync(string name, string from, string subject, params (string File, string Content)[] files)
    {
        await TestGit.RunAsync(Path, "checkout", "-q", "-b", name, from);
        foreach (var (file, content) in files)
        {
            await File.WriteAllTextAsync(System.IO.Path.Combine(Path, file), content);
            await TestGit.RunAsync(Path, "add", file);
        }
        var commit = await TestGit.CommitAsync(Path, subject, TestGit.Identity(100));
        await TestGit.RunAsync(Path, "checkout", "-q", "main");
        return commit;
    }

    public static async Task<BranchRepository> CreateAsync(string path)
    {
        Directory.CreateDirectory(path);
        await TestGit.RunAsync(path, "init", "-q", "-b", "main");
        var hour = 0;
        async Task<string> CommitAsync(string subject, params (string File, string Content)[] files)
        {
            foreach (var (file, content) in files)
            {
                await File.WriteAllTextAsync(System.IO.Path.Combine(path, file), content);
                await TestGit.RunAsync(path, "add", file);
            }
            return await TestGit.CommitAsync(path, subject, TestGit.Identity(hour++));
        }
        var baseCommit = await CommitAsync("base", ("state", "ok\n"), ("build.sh", "exit 0\n"), ("main.txt", "0\n"));
        for (var i = 1; i <= 3; i++)
        {
            await CommitAsync($"main {i}", ("main.txt", $"{i}\n"));
        }
        await TestGit.RunAsync(path, "checkout", "-q", "-b", "side");
        var branch = new List<string>
        {
            await CommitAsync("side: break build", ("build.sh", "exit 1\n")),
            await CommitAsync("side: fix build", ("build.sh", "exit 0\n")),
        };
        var bug = await CommitAsync("side: the bug", ("state", "crash\n"));
        branch.Add(bug);
        branch.Add(await CommitAsync("side: more", ("side.txt", "x\n")));
        await TestGit.RunAsync(path, "checkout", "-q", "main");
        var mainBeforeMerge = "";
        for (var i = 4; i <= 5; i++)
        {
            mainBeforeMerge = await CommitAsync($"main {i}", ("main.txt", $"{i}\n"));
        }
        await TestGit.RunAsync(path, TestGit.Identity(hour++), "merge", "-q", "--no-ff", "side", "-m", "Merge branch 'side'");
        var merge = await TestGit.HeadAsync(path);
        var tip = merge;
        for (var i = 6; i <= 8; i++)
        {
            tip = await CommitAsync($"main {i}", ("main.txt", $"{i}\n"));
        }
        return new BranchRepository(path, baseCommit, tip, merge, bug, branch, mainBeforeMerge);
    }
}
