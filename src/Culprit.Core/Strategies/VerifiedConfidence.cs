namespace Culprit.Core.Strategies;

/// <summary>
/// The confidence a found culprit is stated with once verification has run. A strategy's posterior
/// assumes the bug came in once inside the range and every later commit keeps it (one step from
/// clean to crashing); it cannot see a bug fixed and brought in again, or another bug's crash taken
/// for it, because every commit it tested fits that assumption either way. Reverting the culprit on
/// top of the bad commit is the one test of it: when the bad commit's crash does not come from the
/// culprit, the revert still crashes. So the assumption is given a prior chance of failing
/// (<see cref="PriorAssumptionFails"/>), and the stated confidence is the posterior's times the
/// chance the assumption holds given what the revert showed: a revert that did not apply (or did not
/// build) shows nothing, and clean revert runs show only as much as a bug of the estimated repro
/// chance would have shown in them.
/// </summary>
public static class VerifiedConfidence
{
    /// <summary>
    /// Prior chance that the bad commit's crash does not come from the one change the posterior
    /// names (odds 15:85): enough that an answer nothing checked beyond the posterior is not stated at
    /// 95 %, and that clean revert runs which would miss the bug one time in four or more do not
    /// restore it (at 1:9, 15 clean runs at a repro chance near 0.07, missing it 32 % of the time,
    /// stated a reintroduced bug's first coming at 95.7 %); small enough that a revert whose clean
    /// runs would have shown the bug restores it.
    /// </summary>
    public const double PriorAssumptionFails = 0.15;

    /// <param name="confidence">The posterior probability of the culprit.</param>
    /// <param name="revertLooksClean">
    /// The chance the revert's runs look as they did were the crash not the culprit's: the chance
    /// that its clean runs all miss a bug still there (1 when the revert was not tested).
    /// </param>
    public static double Of(double confidence, double revertLooksClean)
    {
        var holds = 1 - PriorAssumptionFails;
        return confidence * holds / (holds + PriorAssumptionFails * Math.Clamp(revertLooksClean, 0, 1));
    }
}
