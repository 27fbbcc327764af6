using System.Text.Json;
using Culprit.Jobs;
using Culprit.Jobs.Reports;

namespace Culprit.Cli.Remote;

/// <summary>What <c>jobs</c>, <c>show</c>, <c>report</c> and <c>cancel</c> do with <c>--server</c>: the same output, from the server's API.</summary>
internal static class RemoteCommands
{
    public static async Task<int> JobsAsync(TextWriter output, string server, string? tokenFile, bool json, CancellationToken ct)
    {
        using var client = new ServiceClient(server, ServerOptions.ReadToken(tokenFile));
        var text = await client.GetAsync("api/jobs", ct);
        if (json)
        {
            await output.WriteAsync(text);
            return 0;
        }
        var items = JsonSerializer.Deserialize<List<JobListItem>>(text, JsonDefaults.Options) ?? [];
        await output.WriteAsync(JobListing.RenderTable(items));
        return 0;
    }

    public static async Task<int> ShowAsync(TextWriter output, string server, string? tokenFile, string id, bool json, CancellationToken ct)
    {
        using var client = new ServiceClient(server, ServerOptions.ReadToken(tokenFile));
        var result = await client.GetAsync(JobPath(id), ct);
        if (json)
        {
            await output.WriteLineAsync(result.TrimEnd());
            return 0;
        }
        await output.WriteAsync(await client.GetAsync(JobPath(id) + "/log", ct));
        using var doc = JsonDocument.Parse(result);
        if (doc.RootElement.TryGetProperty("state", out var state))
        {
            await output.WriteLineAsync($"job {id} is {state.GetString()} on {server}");
        }
        return 0;
    }

    public static async Task<int> ReportAsync(TextWriter output, string server, string? tokenFile, string id, string format, string? file, CancellationToken ct)
    {
        using var client = new ServiceClient(server, ServerOptions.ReadToken(tokenFile));
        var text = await client.GetAsync($"{JobPath(id)}/report?format={Uri.EscapeDataString(format)}", ct);
        if (file is not null)
        {
            await File.WriteAllTextAsync(file, text, ct);
            await output.WriteLineAsync($"wrote {file}");
        }
        else
        {
            await output.WriteAsync(text);
        }
        return 0;
    }

    public static async Task<int> CancelAsync(TextWriter output, string server, string? tokenFile, string id, CancellationToken ct)
    {
        using var client = new ServiceClient(server, ServerOptions.ReadToken(tokenFile));
        using var doc = JsonDocument.Parse(await client.DeleteAsync(JobPath(id), ct));
        await output.WriteLineAsync($"job {id}: {doc.RootElement.GetProperty("state").GetString()}");
        return 0;
    }

    public static string JobPath(string id) => $"api/jobs/{Uri.EscapeDataString(id)}";
}
