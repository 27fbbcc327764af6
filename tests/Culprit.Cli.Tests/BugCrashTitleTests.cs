using System.Globalization;
using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>
/// The result names the bug's own crash: with an unrelated crash that comes in earlier and shows in
/// some runs of every later commit, the title and report come from the crash the bisection was about.
/// </summary>
public sealed class BugCrashTitleTests
{
    private const string BugTitle = "KASAN: use-after-free in target";
    private const string OtherTitle = "WARNING in other_thing";

    /// <summary>
    /// A test whose runs crash with <see cref="OtherTitle"/> in exactly 3 of every 10 consecutive runs of a
    /// commit with <c>other</c> (which 3 is set by a hash of the commit and the salt; <c>CULPRIT_RUN</c> numbers a
    /// commit's runs in the job), else with <see cref="BugTitle"/> on commits with <c>bug</c>. Exactly, not 3 in 10
    /// on average: a drawn share let the bad commit's ten runs show the other crash most often now and then,
    /// and the bisection was then rightly about that crash.
    /// </summary>
    private static string TestCommand(int salt) =>
        $"k=$(printf '%s {salt}' \"$(git rev-parse HEAD)\" | cksum | cut -d' ' -f1); " +
        $"if [ \"$(cat other)\" = 1 ] && [ $(((CULPRIT_RUN + k) % 10)) -lt 3 ]; then echo 'TITLE: {OtherTitle}'; exit 1; fi; " +
        $"if [ \"$(cat bug)\" = 1 ]; then echo 'TITLE: {BugTitle}'; echo 'the use-after-free report'; exit 1; fi";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task An_unrelated_crash_from_an_earlier_commit_does_not_name_the_result(int salt)
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 60, culprit: 41, otherBugFrom: 12);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", repo.Hashes[59], "--good", repo.Hashes[0],
            "--build", "true", "--test", TestCommand(salt), "--no-verify",
            "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal(repo.Hashes[41], root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal(BugTitle, root.GetProperty("crash_title").GetString());
        Assert.Contains("the use-after-free report", root.GetProperty("report").GetString());
        Assert.Contains($"crash: {BugTitle}", run.Output);
        Assert.DoesNotContain($"crash: {OtherTitle}", run.Output);
    }

    [Fact]
    public async Task A_named_title_makes_every_other_crash_another_bug()
    {
        using var temp = new TempDir();
        // The other bug comes in later than the named one and shows on the bad commit too.
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 40, culprit: 9, otherBugFrom: 25);
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", repo.Hashes[39], "--good", repo.Hashes[0],
            "--build", "true", "--test", TestCommand(7), "--no-verify", "--title", BugTitle,
            "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(repo.Hashes[9], doc.RootElement.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal(BugTitle, doc.RootElement.GetProperty("crash_title").GetString());
        Assert.Contains($"crash: {BugTitle}", run.Output);
        Assert.DoesNotContain($"crash: {OtherTitle}", run.Output);
    }

    [Fact]
    public async Task A_named_title_the_bad_commit_never_shows_is_not_reproduced()
    {
        using var temp = new TempDir();
        var repo = await ScriptedRepository.CreateAsync(temp.Sub("repo"), 10, culprit: 4);
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo.Path, "--bad", repo.Hashes[9], "--good", repo.Hashes[0],
            "--build", "true", "--test", ScriptedRepository.Test, "--runs", "2", "--no-verify", "--title", "BUG: something else",
            "--strategy", "classic", "--store", temp.Sub("s.db"));

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"the crash does not reproduce on {repo.Hashes[9]}"), run.Output);
    }
}
