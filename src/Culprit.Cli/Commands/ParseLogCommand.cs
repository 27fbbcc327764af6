using System.CommandLine;
using System.Text;
using System.Text.Json;
using Culprit.Crash;
using Culprit.Crash.UserSpace;

namespace Culprit.Cli.Commands;

/// <summary>
/// <c>culprit parse-log FILE... [--json] [--kind kernel|userspace]</c>: the crash in a kernel console log,
/// named as syzbot names it, or in a user-space program's output, named as ClusterFuzz names it. Without
/// <c>--kind</c> a log with a kernel report is read as kernel, any other as user space.
/// </summary>
internal static class ParseLogCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Console log to parse; - reads standard input",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per file (JSON Lines)" };
        var kind = new Option<string?>("--kind")
        {
            Description = "Read the log as a kernel console log or as user-space output (default: by its content)",
        };
        kind.AcceptOnlyFromAmong("kernel", "userspace");
        var command = new Command("parse-log", "Find the crash in a kernel console log or a program's output: title, type, state and report")
        {
            files,
            json,
            kind,
        };
        command.SetAction(r => Run(r.GetValue(files) ?? [], r.GetValue(json), r.GetValue(kind), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] files, bool json, string? kind, TextWriter output, TextWriter error)
    {
        int exit = 0;
        foreach (string file in files)
        {
            CrashReport? report = null;
            UserSpaceReport? userSpace = null;
            if (file != "-" && InputFile.Problem(file) is { } problem)
            {
                error.WriteLine($"culprit: cannot read {file}: {problem}");
                exit = 1;
                continue;
            }
            try
            {
                (report, userSpace) = Parse(file, kind);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine($"culprit: cannot read {file}: {e.Message}");
                exit = 1;
                continue;
            }
            if (json)
                output.WriteLine(userSpace is null ? ToJson(file, report) : ToJson(file, userSpace));
            else if (userSpace is not null)
                WriteText(output, file, userSpace, withHeader: files.Length > 1);
            else
                WriteText(output, file, report, withHeader: files.Length > 1);
        }
        return exit;
    }

    private static (CrashReport? Kernel, UserSpaceReport? UserSpace) Parse(string file, string? kind)
    {
        if (file == "-")
        {
            // Standard input cannot be read twice: with no --kind it is read whole.
            if (kind == "kernel")
                return (LinuxCrashParser.Parse(Console.In), null);
            if (kind == "userspace")
                return (null, UserSpaceCrashParser.Parse(Console.In));
            string text = Console.In.ReadToEnd();
            return LinuxCrashParser.Parse(text) is { } crash ? (crash, null) : (null, UserSpaceCrashParser.Parse(text));
        }
        if (kind != "userspace")
        {
            using var reader = Open(file);
            var crash = LinuxCrashParser.Parse(reader);
            if (crash is not null || kind == "kernel")
                return (crash, null);
        }
        using var again = Open(file);
        return (null, UserSpaceCrashParser.Parse(again));
    }

    // Latin-1 would keep every byte, but kernels and programs print UTF-8; invalid bytes become U+FFFD.
    private static StreamReader Open(string file) => new(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    private static void WriteText(TextWriter output, string file, UserSpaceReport report, bool withHeader)
    {
        if (withHeader)
            output.WriteLine($"== {file}");
        output.WriteLine($"TITLE: {report.Title}");
        output.WriteLine($"TYPE: {report.CrashType.Replace("\n", " ", StringComparison.Ordinal)}");
        foreach (var line in report.CrashState)
            output.WriteLine($"STATE: {line}");
        if (report.CrashAddress.Length > 0)
            output.WriteLine($"ADDRESS: {report.CrashAddress}");
        output.WriteLine($"SECURITY: {(report.Security ? "Y" : "N")}");
        output.WriteLine();
        output.Write(report.Report);
        if (!report.Report.EndsWith('\n'))
            output.WriteLine();
    }

    private static string ToJson(string file, UserSpaceReport report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteBoolean("crashed", true);
            w.WriteString("kind", "userspace");
            w.WriteString("title", report.Title);
            w.WriteStartArray("alt_titles");
            w.WriteStringValue(report.AltTitle);
            w.WriteEndArray();
            w.WriteString("crash_type", report.CrashType);
            w.WriteStartArray("crash_state");
            foreach (var line in report.CrashState)
                w.WriteStringValue(line);
            w.WriteEndArray();
            w.WriteString("crash_address", report.CrashAddress);
            w.WriteBoolean("security", report.Security);
            w.WriteString("report", report.Report);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteText(TextWriter output, string file, CrashReport? report, bool withHeader)
    {
        if (withHeader)
            output.WriteLine($"== {file}");
        if (report is null)
        {
            output.WriteLine("no crash");
            return;
        }
        output.WriteLine($"TITLE: {report.Title}");
        output.WriteLine($"TYPE: {report.Type}");
        if (report.Corrupted)
            output.WriteLine("CORRUPTED: Y");
        if (report.GuiltyFile is { Length: > 0 } guilty)
            output.WriteLine($"FILE: {guilty}");
        output.WriteLine();
        output.Write(report.Report);
        if (!report.Report.EndsWith('\n'))
            output.WriteLine();
    }

    private static string ToJson(string file, CrashReport? report)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteBoolean("crashed", report != null);
            w.WriteString("kind", report is null ? null : "kernel");
            w.WriteString("title", report?.Title);
            w.WriteStartArray("alt_titles");
            foreach (var alt in report?.AltTitles ?? [])
                w.WriteStringValue(alt);
            w.WriteEndArray();
            w.WriteString("type", report?.Type);
            w.WriteBoolean("corrupted", report?.Corrupted ?? false);
            w.WriteBoolean("suppressed", report?.Suppressed ?? false);
            w.WriteString("frame", report?.Frame);
            w.WriteString("guilty_file", report?.GuiltyFile);
            w.WriteNull("crash_type");
            w.WriteStartArray("crash_state");
            w.WriteEndArray();
            w.WriteNull("crash_address");
            w.WriteNull("security");
            w.WriteString("report", report?.Report);
            if (report is null)
            {
                w.WriteNull("start");
                w.WriteNull("end");
            }
            else
            {
                w.WriteNumber("start", report.Start);
                w.WriteNumber("end", report.End);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
