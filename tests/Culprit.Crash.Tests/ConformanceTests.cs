using Xunit;
using Xunit.Abstractions;

namespace Culprit.Crash.Tests;

/// <summary>
/// Agreement with syzkaller's answers on every real console log of the conformance corpus.
/// Fields are scored separately so that a regression shows which part of the parser moved.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Report_fields_agree_with_syzkaller_on_the_corpus()
    {
        var cases = ConformanceCorpus.ReportCases();
        int title = 0, type = 0, corrupted = 0, suppressed = 0, frame = 0, frameCases = 0, alt = 0, altCases = 0, report = 0, reportCases = 0;
        var noCrashFailures = new List<string>();
        var misses = new List<string>();
        foreach (var c in cases)
        {
            var rep = LinuxCrashParser.Parse(c.Log);
            bool contains = LinuxCrashParser.ContainsCrash(c.Log);
            if (c.Title is null && (rep != null || contains))
                noCrashFailures.Add($"{c.Name}: found {rep?.Title}");
            string? gotTitle = rep?.Title;
            string gotType = rep?.Type ?? CrashTypes.Unknown;
            if (gotTitle == c.Title) title++;
            else misses.Add($"{c.Name}: title want [{c.Title}] got [{gotTitle}]");
            if (gotType == c.Type) type++;
            else misses.Add($"{c.Name}: type want [{c.Type}] got [{gotType}]");
            if ((rep?.Corrupted ?? false) == c.Corrupted) corrupted++;
            else misses.Add($"{c.Name}: corrupted want [{c.Corrupted}] got [{rep?.Corrupted}] ({rep?.CorruptedReason})");
            if ((rep?.Suppressed ?? false) == c.Suppressed) suppressed++;
            if (c.Frame != null)
            {
                frameCases++;
                if (rep?.Frame == c.Frame) frame++;
            }
            if (c.AltTitles.Count > 0)
            {
                altCases++;
                if (rep != null && c.AltTitles.All(rep.AltTitles.Contains)) alt++;
            }
            if (c.Report != null)
            {
                reportCases++;
                if (rep?.Report == c.Report) report++;
                else misses.Add($"{c.Name}: report text differs");
            }
        }
        var guilty = ConformanceCorpus.GuiltyCases();
        int guiltyOk = 0;
        foreach (var g in guilty)
        {
            var rep = LinuxCrashParser.Parse(g.Log);
            if ((rep?.GuiltyFile ?? "") == g.File) guiltyOk++;
            else misses.Add($"guilty/{g.Name}: want [{g.File}] got [{rep?.GuiltyFile}]");
        }

        double Pct(int ok, int n) => n == 0 ? 100 : 100.0 * ok / n;
        output.WriteLine($"cases: {cases.Count} reports, {guilty.Count} guilty-file");
        output.WriteLine($"title:       {Pct(title, cases.Count),6:F2} % ({title}/{cases.Count})");
        output.WriteLine($"type:        {Pct(type, cases.Count),6:F2} % ({type}/{cases.Count})");
        output.WriteLine($"corrupted:   {Pct(corrupted, cases.Count),6:F2} % ({corrupted}/{cases.Count})");
        output.WriteLine($"suppressed:  {Pct(suppressed, cases.Count),6:F2} % ({suppressed}/{cases.Count})");
        output.WriteLine($"frame:       {Pct(frame, frameCases),6:F2} % ({frame}/{frameCases})");
        output.WriteLine($"alt titles:  {Pct(alt, altCases),6:F2} % ({alt}/{altCases})");
        output.WriteLine($"report text: {Pct(report, reportCases),6:F2} % ({report}/{reportCases})");
        output.WriteLine($"guilty file: {Pct(guiltyOk, guilty.Count),6:F2} % ({guiltyOk}/{guilty.Count})");
        foreach (var m in misses)
            output.WriteLine(m);

        Assert.Empty(noCrashFailures);
        Assert.True(Pct(title, cases.Count) >= 97, $"title agreement {Pct(title, cases.Count):F2} % < 97 %");
        Assert.True(Pct(type, cases.Count) >= 95, $"type agreement {Pct(type, cases.Count):F2} % < 95 %");
        Assert.True(Pct(corrupted, cases.Count) >= 95, $"corrupted agreement {Pct(corrupted, cases.Count):F2} % < 95 %");
        Assert.True(Pct(guiltyOk, guilty.Count) >= 90, $"guilty file agreement {Pct(guiltyOk, guilty.Count):F2} % < 90 %");
    }
}
