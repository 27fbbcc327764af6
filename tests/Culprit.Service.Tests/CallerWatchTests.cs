using Culprit.Service.Nodes;

namespace Culprit.Service.Tests;

/// <summary>A node stops the steps of a caller (a job grain's node) once membership declares it dead.</summary>
public sealed class CallerWatchTests
{
    [Fact]
    public void A_callers_token_is_cancelled_when_membership_declares_it_dead_and_at_once_when_it_is_already()
    {
        var dead = new HashSet<string>();
        var watch = new CallerWatch(dead.Contains);
        var first = watch.DeathOf("S10.0.0.1:11111:1");
        var second = watch.DeathOf("S10.0.0.2:11111:1");

        watch.Changed();
        Assert.False(first.IsCancellationRequested);

        dead.Add("S10.0.0.1:11111:1");
        watch.Changed();

        Assert.True(first.IsCancellationRequested);
        Assert.False(second.IsCancellationRequested);
        // A step that comes from a caller declared dead already starts cancelled; one naming no caller never is.
        Assert.True(watch.DeathOf("S10.0.0.1:11111:1").IsCancellationRequested);
        dead.Add("S10.0.0.3:11111:1");
        Assert.True(watch.DeathOf("S10.0.0.3:11111:1").IsCancellationRequested);
        Assert.False(watch.DeathOf(null).CanBeCanceled);
    }
}
