namespace Culprit.Service.Tests;

/// <summary>
/// Waits for what a test of separate processes cannot await (a node's log line, the cluster's view
/// of a dead node, a job's result): the condition is checked every so often until a deadline, past
/// which the test fails with the caller's words.
/// </summary>
internal static class Polling
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure, TimeSpan? every = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail(failure());
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(500));
        }
    }
}
