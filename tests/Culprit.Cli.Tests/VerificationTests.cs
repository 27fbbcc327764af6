using System.Text.Json;
using Culprit.Cli.Demo;

namespace Culprit.Cli.Tests;

/// <summary>Culprits are checked before they are reported: parent retest, revert on the bad commit.</summary>
public sealed class VerificationTests
{
    [Fact]
    public async Task Verification_catches_a_wrong_culprit_from_a_flaky_test()
    {
        using var temp = new TempDir();
        // The bug came in with commit 11, but it only shows on runs where commit number + run index is even:
        // one run per commit makes commit 11 (and every odd one after it) look good, so the classic
        // bisection blames a later commit; its parent, retested with two runs, crashes.
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 21, culprit: 11);
        const string flakyTest = "if [ \"$(cat bug)\" = 1 ] && [ $(( ($(cat n) + CULPRIT_RUN) % 2 )) -eq 0 ]; then echo 'TITLE: WARNING in flaky_fn'; exit 1; fi";
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", flakyTest, "--runs", "1", "--json", json, "--store", temp.Sub("s.db"));

        // A doubtful culprit is no answer a script should act on.
        Assert.True(run.ExitCode == 4, run.Output + run.Error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        var blamed = Array.IndexOf(repo.Hashes, root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.True(blamed > 11, $"the one-run bisection should blame a commit after the real culprit, blamed {blamed}");
        var verification = root.GetProperty("verification");
        Assert.False(verification.GetProperty("parent_ok").GetBoolean());
        Assert.True(verification.GetProperty("doubtful").GetBoolean());
        Assert.Equal("the culprit's parent crashes too", verification.GetProperty("reason").GetString());
        Assert.Contains("the culprit is doubtful: the culprit's parent crashes too", run.Output);
    }

    [Fact]
    public async Task A_right_culprit_passes_verification_and_its_revert_removes_the_crash()
    {
        using var temp = new TempDir();
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", demo.Path, "--bad", "HEAD", "--good", "v1.2",
            "--build", "make", "--test", "./test.sh", "--runs", "2", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal(demo.Bug, root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal(DemoRepository.CrashTitle, root.GetProperty("crash_title").GetString());
        var verification = root.GetProperty("verification");
        Assert.True(verification.GetProperty("parent_ok").GetBoolean());
        Assert.Equal("passed", verification.GetProperty("revert").GetString());
        Assert.False(verification.GetProperty("doubtful").GetBoolean());
        Assert.Contains("culprit verified: its parent does not crash; reverting it on top of the bad commit removes the crash", run.Output);
    }

    [Fact]
    public async Task A_revert_that_does_not_apply_is_said_in_plain_words()
    {
        // Every commit of the scripted repository rewrites the file n, so reverting an older commit on
        // top of the bad one conflicts.
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 6, culprit: 3);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "2", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"the revert of {repo.Hashes[3]} does not apply on top of {repo.Hashes[5]}", run.Output);
        Assert.Contains("culprit verified: its parent does not crash; the revert does not apply on top of the bad commit (not checked)", run.Output);
        Assert.DoesNotContain("does-not-apply", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("does-not-apply", doc.RootElement.GetProperty("verification").GetProperty("revert").GetString());
    }

    [Fact]
    public async Task A_revert_that_conflicts_on_the_bad_commit_is_tested_on_the_newest_crashing_commit_where_it_applies()
    {
        // Commit 3 adds the bug to file a; commit 8 adds a line right after it, so the revert of commit 3
        // conflicts from commit 8 on, and applies on commit 7, which crashes, before it. Commit 8 (where it stops
        // applying) and commit 9 (the rest of the way) crash too: nothing says the bug went away.
        using var temp = new TempDir();
        var path = temp.Sub("repo");
        var hashes = await RepositoryAsync(path, 10, i => Append(path, i switch { 0 => ("a", "code"), 3 => ("a", "bug_a"), 8 => ("a", "more"), _ => ($"f{i}", "filler") }));
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", path, "--bad", "main", "--good", hashes[0],
            "--build", "true", "--test", "if grep -q bug_a a; then echo 'TITLE: BUG: the bug'; exit 1; fi", "--runs", "2",
            "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal(hashes[3], root.GetProperty("culprit").GetProperty("commit").GetString());
        var verification = root.GetProperty("verification");
        Assert.Equal("passed", verification.GetProperty("revert").GetString());
        var on = verification.GetProperty("reverted_on").GetString()!;
        Assert.Equal(hashes[7], on);
        Assert.Contains($"the revert of {hashes[3]} does not apply on top of {hashes[10]}", run.Output);
        Assert.Contains($"verifying the culprit: the revert applies on {on}, the newest commit on the way from the bad commit where it does: testing it as it is first", run.Output);
        Assert.Contains($"verifying the culprit: {on} crashes with the bug: testing it with the revert", run.Output);
        Assert.Contains($"verifying the culprit: the revert stops applying at {hashes[8]}, which changed the same lines (a fix would): testing it as it is", run.Output);
        Assert.Contains($"verifying the culprit: {hashes[9]}, between {hashes[8]} and the bad commit, is unchecked: testing it as it is", run.Output);
        Assert.DoesNotContain("does not crash, though", run.Output);
        Assert.Contains($"culprit verified: its parent does not crash; its revert does not apply on top of the bad commit; reverting it on {on[..12]}, the newest commit seen crashing where it applies, removes the crash", run.Output);
    }

    [Fact]
    public async Task A_commit_after_the_culprit_that_does_not_crash_leads_to_the_commit_that_brought_the_bug_back()
    {
        // Commit 3 adds the bug to file a; commit 12 fixes it on the same line, so the revert of commit 3 conflicts from
        // there on; commit 16 brings the bug back in file b. The bisection finds commit 3, whose revert removes the crash
        // where it applies (up to commit 11); commit 12, where it stops applying, does not crash: the bug went away there,
        // and the commits after it hold the one that brought it back.
        using var temp = new TempDir();
        var path = temp.Sub("repo");
        var hashes = await RepositoryAsync(path, 18, i =>
        {
            var (file, text) = i switch { 0 => ("a", "code\n"), 3 => ("a", "code\nbug_a\n"), 12 => ("a", "code\nfixed\n"), 16 => ("b", "bug_a\n"), _ => ($"f{i}", "filler\n") };
            return File.WriteAllTextAsync(Path.Combine(path, file), text);
        });
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--strategy", "classic", "--repo", path, "--bad", "main", "--good", hashes[0],
            "--build", "true", "--test", "if cat a b 2>/dev/null | grep -q bug_a; then echo 'TITLE: BUG: the bug'; exit 1; fi", "--runs", "2",
            "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains($"the revert of {hashes[3]} does not apply on top of {hashes[18]}", run.Output);
        Assert.Contains($"verifying the culprit: the revert applies on {hashes[11]}, the newest commit on the way from the bad commit where it does: testing it as it is first", run.Output);
        Assert.Contains($"verifying the culprit: the revert stops applying at {hashes[12]}, which changed the same lines (a fix would): testing it as it is", run.Output);
        Assert.Contains($"{hashes[12]} does not crash, though it contains {hashes[3]}: the bug went away after {hashes[3]} and came back later", run.Output);
        Assert.Contains($"the crash came back after {hashes[12]}: bisecting the 6 commits after it up to {hashes[18]}", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal(hashes[16], root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal("passed", root.GetProperty("verification").GetProperty("revert").GetString());
    }

    [Fact]
    public async Task A_revert_whose_runs_all_end_in_another_crash_is_not_taken_for_a_clean_one()
    {
        // Commit 3 adds the bug (file a); commit 6 adds code that crashes with another title whenever the bug does
        // not strike first. With commit 3 reverted on the bad commit every run ends in that other crash: no run can
        // show whether the bug is gone, so the revert checks nothing.
        using var temp = new TempDir();
        var path = temp.Sub("repo");
        var hashes = await RepositoryAsync(path, 10, i => Append(path, i switch { 0 => ("a", "code"), 3 => ("b", "bug"), 6 => ("noise", "other"), _ => ($"f{i}", "filler") }));
        const string test = "if [ -e b ]; then echo 'TITLE: BUG: the bug'; exit 1; fi; if [ -e noise ]; then echo 'TITLE: WARNING in other_thing'; exit 1; fi";
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", path, "--bad", "main", "--good", hashes[0],
            "--build", "true", "--test", test, "--runs", "2", "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal(hashes[3], root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal("masked", root.GetProperty("verification").GetProperty("revert").GetString());
        Assert.Contains("culprit verified: its parent does not crash; every run of the bad commit with the revert crashed with another crash first (not checked)", run.Output);
        Assert.Contains("every run of the revert crashed with another crash, so nothing shows that the bad commit's crash comes from the culprit", run.Output);
    }

    [Fact]
    public async Task No_verify_skips_verification()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 6, culprit: 3);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", "main", "--good", repo.Hashes[0],
            "--build", ScriptedRepository.Build, "--test", ScriptedRepository.Test, "--runs", "1", "--no-verify", "--json", json, "--store", temp.Sub("s.db"));

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("verifying the culprit", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("verification").ValueKind);
    }

    /// <summary>A repository at <paramref name="path"/> with commits 0 to <paramref name="last"/> on main, commit i made of what <paramref name="change"/>(i) writes.</summary>
    private static async Task<List<string>> RepositoryAsync(string path, int last, Func<int, Task> change)
    {
        Directory.CreateDirectory(path);
        await TestGit.RunAsync(path, "init", "-q", "-b", "main");
        var hashes = new List<string>();
        for (var i = 0; i <= last; i++)
        {
            await change(i);
            await TestGit.RunAsync(path, "add", "-A");
            hashes.Add(await TestGit.CommitAsync(path, $"change {i}", TestGit.Identity(i)));
        }
        return hashes;
    }

    /// <summary>Appends a line to a file of the repository.</summary>
    private static Task Append(string path, (string File, string Line) change) => File.AppendAllTextAsync(Path.Combine(path, change.File), change.Line + "\n");
}
