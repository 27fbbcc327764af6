using Culprit.Core.Testing;

namespace Culprit.Jobs;

/// <summary>
/// Logs what the testers of one pass say about their environment (<see cref="ICommitTester.SetupNote"/>)
/// once each: the workers' testers share the VMs and so the note, and the note changes when the VMs
/// fall back from KVM to TCG during the pass.
/// </summary>
internal sealed class SetupNotes
{
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);

    public void LogNew(ICommitTester tester, ITestLog log)
    {
        if (tester.SetupNote is not { } note)
        {
            return;
        }
        lock (_logged)
        {
            if (!_logged.Add(note))
            {
                return;
            }
        }
        log.Line(note);
    }
}
