namespace Culprit.Crash.Tests;

/// <summary>One case of linux-report/: the console log and syzkaller's answer for it.</summary>
public sealed record ReportCase(
    string Name,
    string Log,
    string? Title,
    IReadOnlyList<string> AltTitles,
    string Type,
    string? Frame,
    bool Corrupted,
    bool Suppressed,
    string? Report);

/// <summary>One case of linux-guilty/: a report and the file to blame.</summary>
public sealed record GuiltyCase(string Name, string Log, string File);

/// <summary>Reads /work/shared/conformance (format in its README.md).</summary>
public static class ConformanceCorpus
{
    /// <summary>
    /// ../shared/conformance next to the repository root (the directory holding Culprit.slnx),
    /// else /work/shared/conformance. Throws when neither exists: a missing corpus must fail the
    /// tests, not silently skip them.
    /// </summary>
    public static string Directory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Culprit.slnx")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance"));
                if (System.IO.Directory.Exists(candidate))
                    return candidate;
                break;
            }
        }
        const string fallback = "/work/shared/conformance";
        if (System.IO.Directory.Exists(fallback))
            return fallback;
        throw new DirectoryNotFoundException("conformance corpus not found (../shared/conformance or /work/shared/conformance)");
    }

    public static IReadOnlyList<ReportCase> ReportCases() =>
        Files("linux-report").Select(f => ReadReportCase(Path.GetFileName(f), File.ReadAllText(f))).ToList();

    public static IReadOnlyList<GuiltyCase> GuiltyCases() =>
        Files("linux-guilty").Select(f => ReadGuiltyCase(Path.GetFileName(f), File.ReadAllText(f))).ToList();

    private static IEnumerable<string> Files(string sub)
    {
        var files = System.IO.Directory.GetFiles(Path.Combine(Directory(), sub)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new InvalidOperationException($"no cases in {sub}");
        return files;
    }

    public static ReportCase ReadReportCase(string name, string data)
    {
        var lines = data.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        string? title = null, frame = null;
        string type = CrashTypes.Unknown;
        bool corrupted = false, suppressed = false;
        var alts = new List<string>();
        int i = 0;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            string ln = lines[i];
            if (ln.StartsWith("TITLE: ", StringComparison.Ordinal)) title = ln[7..];
            else if (ln.StartsWith("ALT: ", StringComparison.Ordinal)) alts.Add(ln[5..]);
            else if (ln.StartsWith("TYPE: ", StringComparison.Ordinal)) type = ln[6..];
            else if (ln.StartsWith("FRAME: ", StringComparison.Ordinal)) frame = ln[7..];
            else if (ln == "CORRUPTED: Y") corrupted = true;
            else if (ln == "SUPPRESSED: Y") suppressed = true;
        }
        i++; // the blank line
        var log = new System.Text.StringBuilder();
        System.Text.StringBuilder? report = null;
        bool prevEmpty = false;
        // Split leaves a final "" after the last newline; it is not a line.
        int count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (; i < count; i++)
        {
            if (report != null)
                report.Append(lines[i]).Append('\n');
            else if (prevEmpty && lines[i] == "REPORT:")
                report = new System.Text.StringBuilder();
            else
                log.Append(lines[i]).Append('\n');
            prevEmpty = lines[i].Length == 0;
        }
        return new ReportCase(name, log.ToString(), title, alts, type, frame, corrupted, suppressed, report?.ToString());
    }

    public static GuiltyCase ReadGuiltyCase(string name, string data)
    {
        data = data.Replace("\r", "", StringComparison.Ordinal);
        while (data.StartsWith('#'))
            data = data[(data.IndexOf('\n') + 1)..];
        const string prefix = "FILE: ";
        if (!data.StartsWith(prefix, StringComparison.Ordinal))
            throw new FormatException($"{name}: no FILE header");
        int blank = data.IndexOf("\n\n", StringComparison.Ordinal);
        return new GuiltyCase(name, data[blank..], data[prefix.Length..blank]);
    }
}
