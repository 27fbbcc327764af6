using System.Globalization;

namespace Culprit.Jobs.Reports;

/// <summary>The sentences every report format shares, so the text, email and HTML say the same thing.</summary>
internal static class ReportPhrases
{
    /// <summary>git's <c>first bad commit</c>; a fix bisection's <c>first good commit</c>; custom terms name it themselves.</summary>
    public static string FirstCommit(JobSpec spec)
    {
        if (spec.TermOld != "good" || spec.TermNew != "bad")
        {
            return $"first {spec.TermNew} commit";
        }
        return spec.Direction == Direction.Cause ? "first bad commit" : "first good commit";
    }

    public static bool IsFix(JobResult result) => result.Direction == "fix";

    public static string TimeLine(JobStats s) =>
        $"revisions tested: {s.RevisionsTested}, total time: {GoDuration.Format(s.TotalSeconds)} (build: {GoDuration.Format(s.BuildSeconds)}, test: {GoDuration.Format(s.TestSeconds)})";

    public static string CcLine(IReadOnlyList<string> cc) => "cc: [" + string.Join(' ', cc.Select(e => $"\"{e}\"")) + "]";

    public static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    public static string Percent(double p) => (p * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A commit date the way <c>git show</c> prints it: <c>Fri Jan 12 18:00:00 2024 +0000</c>.</summary>
    public static string GitDate(string? iso)
    {
        if (iso is null || !DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d))
        {
            return iso ?? "unknown";
        }
        var offset = d.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return d.ToString("ddd MMM d HH:mm:ss yyyy ", CultureInfo.InvariantCulture) + $"{sign}{abs.Hours:00}{abs.Minutes:00}";
    }

    /// <summary>The culprit's header as <c>git show</c> prints it: commit, author, date and the indented subject, each followed by a blank line.</summary>
    public static void AppendShowHeader(System.Text.StringBuilder to, CulpritInfo c)
    {
        to.AppendLine($"commit {c.Commit}");
        to.AppendLine($"Author: {c.Author}");
        to.AppendLine($"Date:   {GitDate(c.Date)}");
        to.AppendLine();
        to.AppendLine($"    {c.Subject}");
        to.AppendLine();
    }

    /// <summary>A commit with the name the user gave it: <c>HASH (HEAD)</c>.</summary>
    public static string Named(string hash, string? revision) =>
        revision is { } name && name != hash ? $"{hash} ({name})" : hash;

    /// <summary>The commit the bisection started from as known good: the one given, else the release the walk back found.</summary>
    public static string? GoodCommit(JobResult result) =>
        result.Good ?? result.Tested.LastOrDefault(t => t.Phase == "release" && t.Verdict == "good")?.Commit;

    /// <summary>What the parent check showed, e.g. <c>its parent does not crash (20 runs)</c>.</summary>
    public static string ParentCheck(JobResult result, Verification v) =>
        ParentCheck(v.ParentOk, IsFix(result), result.Tested.LastOrDefault(t => t.Phase == "verify-parent")?.Runs.Count);

    public static string ParentCheck(bool? parentOk, bool fix, int? runs)
    {
        var count = runs is > 0 ? $" ({runs} runs)" : "";
        return (parentOk, fix) switch
        {
            (null, _) when runs is > 0 => $"its parent's runs told nothing (another crash or an infra error ended each of its {runs} runs)",
            (null, _) => "its parent was not tested",
            (true, false) => "its parent does not crash" + count,
            (false, false) => "its parent crashes too" + count,
            (true, true) => "its parent still crashes" + count,
            (false, true) => "its parent does not crash either" + count,
        };
    }

    /// <summary>What reverting the culprit (cherry-picking the fix, for a fix bisection) showed.</summary>
    public static string RevertCheck(JobResult result, Verification v) => RevertCheck(v.Revert, IsFix(result), v.RevertedOn);

    /// <param name="on">The crashing commit the revert was tested on when it did not apply on the bad commit.</param>
    public static string RevertCheck(string code, bool fix, string? on) => (code, on) switch
    {
        (_, null) => RevertCheck(code, fix),
        ("passed", _) => $"its revert does not apply on top of the bad commit; reverting it on {Short(on)}, the newest commit seen crashing where it applies, removes the crash",
        ("failed", _) => $"its revert does not apply on top of the bad commit; the crash stays when it is reverted on {Short(on)}",
        ("build-failed", _) => $"its revert does not apply on top of the bad commit, and {Short(on)} with the revert does not build (not checked)",
        _ => RevertCheck(code, fix),
    };

    public static string RevertCheck(string code, bool fix) => (code, fix) switch
    {
        ("passed", false) => "reverting it on top of the bad commit removes the crash",
        ("failed", false) => "the crash stays when it is reverted on top of the bad commit",
        ("does-not-apply", false) => "the revert does not apply on top of the bad commit (not checked)",
        ("build-failed", false) => "the bad commit with the revert does not build (not checked)",
        ("masked", false) => "every run of the bad commit with the revert crashed with another crash first (not checked)",
        ("passed", true) => "cherry-picking it onto the crashing commit removes the crash",
        ("failed", true) => "the crash stays when it is cherry-picked onto the crashing commit",
        ("does-not-apply", true) => "it does not cherry-pick onto the crashing commit (not checked)",
        ("build-failed", true) => "the crashing commit with it cherry-picked does not build (not checked)",
        ("masked", true) => "every run of the crashing commit with it cherry-picked crashed with another crash first (not checked)",
        (var other, false) => $"revert: {other}",
        (var other, true) => $"cherry-pick: {other}",
    };

    /// <summary>Both checks: <c>its parent does not crash (20 runs); reverting it … removes the crash</c>.</summary>
    public static string Checks(JobResult result, Verification v) => $"{ParentCheck(result, v)}; {RevertCheck(result, v)}";

    /// <summary>The headline of a result that names no culprit.</summary>
    public static string NoCulprit(JobResult result) => result.Result switch
    {
        "inconclusive" => result.Message ?? "the bisection is inconclusive",
        "not-reproduced" => result.Message ?? $"the crash does not reproduce on {result.Bad}",
        "no-good-commit" => result.Message ?? "no commit without the crash was found to start from",
        "error" => "the job failed: " + (result.Message ?? "unknown error"),
        _ => result.Message ?? result.Result,
    };

    public static string Candidate(JobResult result, string commit) =>
        result.Probabilities is { } p && p.TryGetValue(commit, out var v) ? $"{commit} ({Percent(v)})" : commit;

    /// <summary>Runs of one tested commit by outcome.</summary>
    public static RunCounts Count(TestedCommit t) => new(
        t.Runs.Count(r => r.Result == "crashed"),
        t.Runs.Count(r => r.Result == "timed-out"),
        t.Runs.Count(r => r.Result == "ok"),
        t.Runs.Count(r => r.Result is not ("crashed" or "timed-out" or "ok")));
}

internal readonly record struct RunCounts(int Crashed, int TimedOut, int Ok, int Infra)
{
    public int Total => Crashed + TimedOut + Ok + Infra;
}
