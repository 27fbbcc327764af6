namespace Culprit.Processes;

/// <summary>
/// Makes sure no process outlives the run that started it. Culprit is made a child subreaper, so
/// when a run's process exits, whatever it left running (background children, <c>nohup</c>,
/// <c>setsid</c>, double forks) is reparented to Culprit instead of init. Every run carries a mark in
/// its environment (<c>CULPRIT_RUN_ID</c>, a ':'-separated list: a run started inside another run
/// keeps the outer marks), which descendants inherit; when the run ends, the adopted processes that
/// carry its mark are killed, and adopted processes that exited are reaped. Children .NET started
/// itself are left to .NET, which reaps them and reads their exit status.
/// </summary>
internal static class Leftovers
{
    public const string Variable = "CULPRIT_RUN_ID";

    private static readonly object Starting = new();
    private static readonly HashSet<int> Started = [];
    private static readonly string? Inherited = Environment.GetEnvironmentVariable(Variable);
    private static long _counter;
    private static int _subreaper;

    /// <summary>A fresh mark for one run; unique while this process lives.</summary>
    public static string NewMark() => $"{Environment.ProcessId}.{Interlocked.Increment(ref _counter)}";

    /// <summary>The value of <see cref="Variable"/> for a run marked <paramref name="mark"/>.</summary>
    public static string EnvironmentValue(string mark) => string.IsNullOrEmpty(Inherited) ? mark : $"{Inherited}:{mark}";

    /// <summary>
    /// Starts a process with <paramref name="start"/> and remembers its pid until <see cref="Forget"/>.
    /// Both happen under the lock the reaper takes, so it never reaps a child .NET is waiting for.
    /// </summary>
    public static int Start(Func<int> start)
    {
        if (Interlocked.Exchange(ref _subreaper, 1) == 0)
        {
            LibC.SetChildSubreaper();
        }
        lock (Starting)
        {
            var pid = start();
            Started.Add(pid);
            return pid;
        }
    }

    /// <summary>Called once .NET has seen the process exit (and reaped it).</summary>
    public static void Forget(int pid)
    {
        lock (Starting)
        {
            Started.Remove(pid);
        }
    }

    /// <summary>Kills the adopted processes that carry <paramref name="mark"/> (and, as they die, their children), and reaps adopted processes that exited.</summary>
    public static void Kill(string mark) =>
        Sweep(pid => ProcTable.EnvironmentOf(pid) is { Length: > 0 } environ
            ? ProcTable.HasToken(environ, Variable, mark) ? Fate.Kill : Fate.Spare
            // Read in the middle of an exec (a detached child turning from setsid into sleep), a
            // live process shows no environment: look again rather than spare it.
            : ProcTable.IsLive(pid) ? Fate.Unsure : Fate.Spare);

    /// <summary>Kills every process left below this one (what remains when Culprit itself stops).</summary>
    public static void KillAll()
    {
        foreach (var pid in ProcTable.Children(Environment.ProcessId))
        {
            LibC.Kill(pid);
        }
        Sweep(_ => Fate.Kill);
    }

    /// <summary>What a sweep does with one adopted child.</summary>
    private enum Fate { Spare, Kill, Unsure }

    /// <summary>How many rounds a child whose fate cannot be read yet is looked at again (about 0.2 s in all).</summary>
    private const int UnsureRounds = 20;

    /// <summary>
    /// Adopted children whose environment stayed empty for a whole sweep (one that cleared it, as
    /// <c>env -i</c> does, carries no mark): later sweeps spare them at once instead of waiting on them again.
    /// </summary>
    private static readonly HashSet<int> Unmarked = [];

    /// <summary>
    /// Rounds over the adopted children: reap the exited ones, kill the ones <paramref name="fate"/>
    /// dooms; a killed process's own children are adopted in turn and met in the next round, and a
    /// child whose fate cannot be read yet is met again for a few rounds.
    /// </summary>
    private static void Sweep(Func<int, Fate> fate)
    {
        for (var round = 0; round < 100; round++)
        {
            var killed = 0;
            var unsure = new List<int>();
            lock (Starting)
            {
                foreach (var pid in ProcTable.Children(Environment.ProcessId))
                {
                    if (Started.Contains(pid))
                    {
                        continue;
                    }
                    if (LibC.TryReap(pid))
                    {
                        Unmarked.Remove(pid);
                        continue;
                    }
                    switch (fate(pid))
                    {
                        case Fate.Kill:
                            LibC.Kill(pid);
                            killed++;
                            break;
                        case Fate.Unsure when !Unmarked.Contains(pid):
                            unsure.Add(pid);
                            break;
                    }
                }
                if (killed == 0 && round >= UnsureRounds)
                {
                    Unmarked.UnionWith(unsure);
                    return;
                }
            }
            if (killed == 0 && unsure.Count == 0)
            {
                return;
            }
            // Let the killed processes die, so that their children are reparented here.
            Thread.Sleep(round < 10 ? 2 : 20);
        }
    }
}
