using Culprit.Store;

namespace Culprit.Jobs.Reports;

/// <summary>
/// The SVG timeline of a job that may still be running: from its result once it has one, else from
/// the outcomes stored so far (verdicts not yet known show as such), so a page can watch it grow.
/// </summary>
public static class LiveTimeline
{
    public static string Render(JobStore store, string id)
    {
        var reported = ReportedJob.Load(store, id);
        var result = reported.Result
            ?? ResultBuilder.Error(id, reported.Spec, new OutcomeLedger(store, id).All, $"job is {reported.State}");
        return TimelineSvg.Render(result);
    }
}
