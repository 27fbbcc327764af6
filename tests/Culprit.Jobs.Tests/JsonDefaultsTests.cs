using Culprit.Core.Domain;

namespace Culprit.Jobs.Tests;

public class JsonDefaultsTests
{
    [Fact]
    public void Preparing_a_jobs_reading_reaches_the_types_its_inputs_and_outcomes_hold()
    {
        var spec = JsonDefaults.Prepare(typeof(JobSpec));
        Assert.Contains(typeof(JobSpec), spec);
        Assert.Contains(typeof(KernelSpec), spec);

        var entry = JsonDefaults.Prepare(typeof(StoredEntry));
        Assert.Contains(typeof(CommitOutcome), entry);
        Assert.Contains(typeof(RunOutcome), entry);
    }
}
