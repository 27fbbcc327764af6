using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests;

public sealed class RunOutputCapTests
{
    private static string Lines(string text, int count) => string.Concat(Enumerable.Repeat(text + "\n", count));

    [Fact]
    public void Output_within_the_budget_is_kept_whole()
    {
        var output = Lines("fine", 1000);

        Assert.Same(output, RunOutputCap.Cap(output, "title"));
    }

    [Fact]
    public void Long_output_keeps_its_head_the_crash_report_and_its_tail_and_notes_each_cut()
    {
        var output = "first line\n" + Lines("before", 500_000) + "TITLE: KASAN: bug\nreport line\n" + Lines("after", 500_000) + "last line\n";

        var capped = RunOutputCap.Cap(output, "KASAN: bug");

        Assert.True(capped.Length <= RunOutputCap.Budget + 200, $"kept {capped.Length} characters");
        Assert.StartsWith("first line\n", capped);
        Assert.Contains("TITLE: KASAN: bug\nreport line\n", capped);
        Assert.EndsWith("last line\n", capped);
        var cuts = System.Text.RegularExpressions.Regex.Matches(capped, @"\n\.\.\. \[(\d+) bytes cut\] \.\.\.\n");
        Assert.Equal(2, cuts.Count);
        var kept = capped.Length - cuts.Sum(c => c.Length);
        Assert.Equal(output.Length, kept + cuts.Sum(c => int.Parse(c.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Without_a_title_in_it_the_output_keeps_head_and_tail()
    {
        var output = "first\n" + Lines("noise", 1_000_000) + "last\n";

        var capped = RunOutputCap.Cap(output, null);

        Assert.StartsWith("first\n", capped);
        Assert.EndsWith("last\n", capped);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(capped, @"bytes cut"));
        Assert.True(capped.Length <= RunOutputCap.Budget + 100);
    }

    [Fact]
    public void A_run_is_capped_in_its_detail_only()
    {
        var run = RunOutcome.Crash("KASAN: bug", Lines("x", 400_000), seconds: 3);

        var capped = RunOutputCap.Apply(run);

        Assert.Equal(("KASAN: bug", RunResult.Crashed, 3.0), (capped.Title, capped.Result, capped.Seconds));
        Assert.True(capped.Detail!.Length < RunOutputCap.Budget + 100);
    }
}
