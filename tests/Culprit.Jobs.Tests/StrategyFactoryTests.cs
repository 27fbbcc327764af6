using Culprit.Core.Domain;
using Culprit.Core.Flaky;
using Culprit.Core.Strategies;
using Xunit;

namespace Culprit.Jobs.Tests;

/// <summary>What a job's spec makes of its strategy's settings.</summary>
public sealed class StrategyFactoryTests
{
    private static readonly CommitGraph Range = new([("c1", ["c0"]), ("c2", ["c1"])]);

    private static FlakyOptions Made(JobSpec spec) =>
        Assert.IsType<FlakyStrategy>(StrategyFactory.Create(spec, Range, StrategyFactory.CausePolicy(spec))).Options;

    [Theory]
    [InlineData(null, null, 1200)]
    [InlineData(1, null, 1200)]
    [InlineData(3, null, 2400)]   // the job's workers, as resolved and stored: a resume gets the same budget
    [InlineData(3, 500, 500)]     // --max-runs stands whatever the workers
    public void The_flaky_run_budget_is_max_runs_or_the_default_for_the_jobs_workers(int? workers, int? maxRuns, int budget)
    {
        var spec = new JobSpec { Repo = "/r", Bad = "c2", Good = "c0", Strategy = "flaky", Build = "true", Test = "true", Workers = workers, MaxRuns = maxRuns };

        Assert.Equal(budget, Made(spec).RunBudget);
    }
}
