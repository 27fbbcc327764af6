using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>What found results show: the flaky strategy's confidence, in the log and the JSON; a culprit verification proved.</summary>
internal static class FlakyResultAssert
{
    /// <summary>The job named <paramref name="culprit"/>, its revert removed the crash and nothing made it doubtful.</summary>
    public static async Task VerifiedCulpritAsync(string jsonFile, string culprit)
    {
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(jsonFile));
        var root = doc.RootElement;
        Assert.Equal(culprit, root.GetProperty("culprit").GetProperty("commit").GetString());
        Assert.Equal("passed", root.GetProperty("verification").GetProperty("revert").GetString());
        Assert.False(root.GetProperty("verification").GetProperty("doubtful").GetBoolean());
    }

    public static async Task FoundWithConfidenceAsync(CliHarness.Run run, string jsonFile)
    {
        Assert.Contains("culprit confidence: ", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(jsonFile));
        Assert.Equal("flaky", doc.RootElement.GetProperty("strategy").GetString());
        Assert.Equal("found", doc.RootElement.GetProperty("result").GetString());
        Assert.True(doc.RootElement.GetProperty("confidence").GetDouble() >= 0.95);
    }
}
