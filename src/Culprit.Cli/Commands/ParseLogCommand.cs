using System.CommandLine;
using System.Text;
using System.Text.Json;
using Culprit.Crash;

namespace Culprit.Cli.Commands;

/// <summary><c>culprit parse-log FILE... [--json]</c>: the crash in a kernel console log, named as syzbot names it.</summary>
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
        var command = new Command("parse-log", "Find the kernel crash in a console log: title, type, guilty file and report")
        {
            files,
            json,
        };
        command.SetAction(r => Run(r.GetValue(files) ?? [], r.GetValue(json), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] files, bool json, TextWriter output, TextWriter error)
    {
        int exit = 0;
        foreach (string file in files)
        {
            CrashReport? report;
            try
            {
                report = Parse(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                error.WriteLine($"culprit: cannot read {file}: {e.Message}");
                exit = 1;
                continue;
            }
            if (json)
                output.WriteLine(ToJson(file, report));
            else
                WriteText(output, file, report, withHeader: files.Length > 1);
        }
        return exit;
    }

    private static CrashReport? Parse(string file)
    {
        if (file == "-")
            return LinuxCrashParser.Parse(Console.In);
        // Latin-1 would keep every byte, but kernels print UTF-8; invalid bytes become U+FFFD.
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return LinuxCrashParser.Parse(reader);
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
