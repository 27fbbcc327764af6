using System.Text.Json;
using Culprit.Cli.Demo;
using Culprit.Store;

namespace Culprit.Service.Tests;

/// <summary>A node killed mid-job and started again resumes the job from its stored outcomes: nothing tested twice.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_killed_node_started_again_finishes_its_unfinished_job_without_retesting()
    {
        using var temp = new TempDir("culprit-restart");
        var work = temp.Sub("work");
        var demo = await DemoRepository.CreateAsync(temp.Sub("demo"), flaky: false, withFix: false);
        string id;
        await using (var first = await ServeProcess.StartAsync(work))
        {
            var submit = await ServeProcess.InvokeAsync("submit", "--server", first.Url, "--repo", demo.Path, "--bad", "HEAD", "--good", "v1.0",
                "--build", "make", "--test", "sleep 1; ./test.sh", "--runs", "1", "--strategy", "classic", "--no-verify");
            Assert.True(submit.Exit == 0, submit.Error);
            id = submit.Output.Trim()["job: ".Length..];
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (Outcomes(work, id).Count < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "the job stored no outcomes");
                await Task.Delay(100);
            }
            // Disposing kills the node's whole process tree (SIGKILL): the job is left "running" in the store.
        }
        var before = Outcomes(work, id);
        Assert.Equal("running", State(work, id));

        await using var second = await ServeProcess.StartAsync(work);
        var show = await WaitForResultAsync(second.Url, id);

        Assert.Equal(demo.Bug, show.GetProperty("culprit").GetProperty("commit").GetString());
        var after = Outcomes(work, id);
        Assert.Equal(before, after.Take(before.Count));
        Assert.Equal(after.Count, after.Distinct().Count());
    }

    private static async Task<JsonElement> WaitForResultAsync(string url, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var show = await ServeProcess.InvokeAsync("show", "--server", url, "--json", id);
            var doc = JsonDocument.Parse(show.Output).RootElement;
            if (doc.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.String)
            {
                return doc.Clone();
            }
            Assert.True(DateTime.UtcNow < deadline, $"job {id} did not finish after the restart: {show.Output}");
            await Task.Delay(300);
        }
    }

    /// <summary>The commits of the job's stored outcomes, in order.</summary>
    private static List<string> Outcomes(string work, string id)
    {
        var path = Path.Combine(work, "culprit.db");
        if (!File.Exists(path))
        {
            return [];
        }
        using var store = JobStore.Open(path);
        return [.. store.Outcomes(id).Select(o => JsonDocument.Parse(o.Json).RootElement.GetProperty("outcome").GetProperty("commit").GetString()!)];
    }

    private static string State(string work, string id)
    {
        using var store = JobStore.Open(Path.Combine(work, "culprit.db"));
        return store.GetJob(id).State;
    }
}
