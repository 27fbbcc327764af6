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
    public static void Kill(string mark) => Sweep(pid => FateOf(pid, mark));

    /// <summary>
    /// What the mark says of one adopted child. A live process whose environment reads empty is
    /// either in the middle of an exec (a detached child turning from setsid into sleep: the new
    /// image has neither arguments nor environment until the kernel lays them out) or one that
    /// cleared its environment (<c>env -i</c>), whose arguments are there. The first is looked at
    /// again until its exec ends, however slow a loaded machine makes it; the second only briefly,
    /// since the two reads are not one instant.
    /// </summary>
    private static Fate FateOf(int pid, string mark)
    {
        var arguments = ProcTable.ArgumentsOf(pid);
        var environ = ProcTable.EnvironmentOf(pid);
        if (environ.Length > 0)
        {
            return ProcTable.HasToken(environ, Variable, mark) ? Fate.Kill : Fate.Spare;
        }
        if (!ProcTable.IsLive(pid))
        {
            return Fate.Ended;
        }
        return arguments.Length == 0 ? Fate.Execing : Fate.Unsure;
    }

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
    private enum Fate { Spare, Kill, Unsure, Execing, Ended }

    /// <summary>How long a child whose fate cannot be read yet is looked at again.</summary>
    private static readonly TimeSpan UnsureTime = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a child caught in the middle of an exec is waited for (an exec takes microseconds unless the machine stalls).</summary>
    private static readonly TimeSpan ExecingTime = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Adopted children whose environment stayed empty for a whole sweep (one that cleared it, as
    /// <c>env -i</c> does, carries no mark): later sweeps spare them at once instead of waiting on them again.
    /// </summary>
    private static readonly HashSet<int> Unmarked = [];

    /// <summary>
    /// Rounds over the adopted children: reap the exited ones, kill the ones <paramref name="fate"/>
    /// dooms; the children of a killed or exited process are adopted in turn and met in the next
    /// round, and a child whose fate cannot be read yet is met again until its time is up.
    /// </summary>
    private static void Sweep(Func<int, Fate> fate)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; ; round++)
        {
            var killed = 0;
            var ended = 0;      // exited since the listing: their children may have come here after it
            var unsure = new List<int>();
            var execing = false;
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
                        ended++;
                        continue;
                    }
                    var doom = fate(pid);
                    switch (doom)
                    {
                        case Fate.Kill:
                            LibC.Kill(pid);
                            killed++;
                            break;
                        case Fate.Ended:
                            ended++;
                            break;
                        case Fate.Unsure or Fate.Execing when !Unmarked.Contains(pid):
                            unsure.Add(pid);
                            execing |= doom == Fate.Execing;
                            break;
                    }
                }
                // A run that keeps spawning as fast as it is killed ends the sweep too, at the longest wait.
                var waited = watch.Elapsed;
                if ((killed == 0 && unsure.Count > 0 && waited >= (execing ? ExecingTime : UnsureTime)) || waited >= ExecingTime)
                {
                    Unmarked.UnionWith(unsure);
                    return;
                }
            }
            if (killed == 0 && ended == 0 && unsure.Count == 0)
            {
                return;
            }
            // Let the killed processes die, so that their children are reparented here.
            Thread.Sleep(round < 10 ? 2 : 20);
        }
    }
}
