using System.Text.Json;

namespace Culprit.Cli.Tests;

/// <summary>What every found result of the flaky strategy shows: its confidence, in the log and the JSON.</summary>
internal static class FlakyResultAssert
{
    public static async Task FoundWithConfidenceAsync(CliHarness.Run run, string jsonFile)
    {
        Assert.Contains("culprit confidence: ", run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(jsonFile));
        Assert.Equal("flaky", doc.RootElement.GetProperty("strategy").GetString());
        Assert.Equal("found", doc.RootElement.GetProperty("result").GetString());
        Assert.True(doc.RootElement.GetProperty("confidence").GetDouble() >= 0.95);
    }
}
