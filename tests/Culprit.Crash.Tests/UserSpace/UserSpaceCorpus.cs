using System.Text.Json;
using Culprit.Crash.UserSpace;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>One case of ../shared/conformance/userspace/cases.jsonl: a real log and ClusterFuzz's answer (null = not asserted upstream).</summary>
public sealed record UserSpaceCase(
    string File, string Family, string Test, string? CrashType, IReadOnlyList<string>? CrashState, string? CrashAddress, bool? Security,
    IReadOnlyDictionary<string, string> Env, string? Folder = null)
{
    public string Name => $"{Family}/{Test}";

    public string Log => System.IO.File.ReadAllText(Path.Combine(Folder ?? UserSpaceCorpus.Directory, File));

    public UserSpaceOptions Options => UserSpaceOptions.FromClusterFuzzEnvironment(Env);
}

public static class UserSpaceCorpus
{
    public static string Directory { get; } = Find();

    public static IReadOnlyList<UserSpaceCase> Cases() => Cases(Directory);

    /// <summary>The cases of a folder holding logs and a cases.jsonl in the shared corpus' format.</summary>
    public static IReadOnlyList<UserSpaceCase> Cases(string folder) =>
        System.IO.File.ReadLines(Path.Combine(folder, "cases.jsonl")).Where(l => l.Trim().Length > 0)
            .Select(l => Read(l) with { Folder = folder }).ToList();

    private static UserSpaceCase Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        string? Str(string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetString();
        var state = r.GetProperty("crash_state");
        var security = r.GetProperty("security");
        return new UserSpaceCase(
            Str("file")!, Str("family")!, Str("test")!, Str("crash_type"),
            state.ValueKind == JsonValueKind.Null ? null : state.EnumerateArray().Select(e => e.GetString()!).ToList(),
            Str("crash_address"),
            security.ValueKind == JsonValueKind.Null ? null : security.GetBoolean(),
            r.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString()));
    }

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(d.FullName, "Culprit.slnx")))
            {
                string candidate = Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "conformance", "userspace"));
                if (System.IO.Directory.Exists(candidate))
                    return candidate;
            }
        }
        return "/work/shared/conformance/userspace";
    }
}
