namespace Culprit.Core.Flaky;

/// <summary>
/// The per-commit buffers of the strategy's decisions (the ancestor sums of <see cref="TestPlanner"/>,
/// a round's keys and masses, <see cref="RoundPlanner.Buffers"/>), kept from one decision to the next.
/// At a million commits they are about 30 MB, and the first touch of fresh memory costs a process more
/// than the decision that needs it (about 14 µs a page on a small VM): a strategy over a large range
/// has them made, and their pages touched, on another thread while it records its first outcomes.
/// Only memory is made there; what the buffers hold is written by the decisions alone.
/// </summary>
internal sealed class DecisionBuffers
{
    /// <summary>Ranges from this size have their buffers made ahead; smaller ones when first asked for.</summary>
    private const int MadeAheadFrom = 100_000;

    private readonly int _commits;
    private RoundPlanner.Buffers? _round;

    /// <param name="ahead">Made ahead: every buffer, pages touched; else only the sums, the rest when asked for.</param>
    private DecisionBuffers(int commits, bool ahead)
    {
        _commits = commits;
        Mass = new double[commits + 1];
        if (ahead)
        {
            Touched(Mass);
            _round = new RoundPlanner.Buffers(commits);
            Touched(_round.Key);
            Touched(_round.Masses);
            PosteriorSnapshot.PrepareUnitGroups(commits);
        }
    }

    /// <summary>Per-commit sums over ancestors (length commits + 1).</summary>
    public double[] Mass { get; }

    /// <summary>What planning a round writes per commit (only a strategy asked for rounds needs them).</summary>
    public RoundPlanner.Buffers Round => _round ??= new RoundPlanner.Buffers(_commits);

    /// <summary>The buffers for a range of <paramref name="commits"/>: being made already for a large one, else made at first use.</summary>
    public static Lazy<DecisionBuffers> For(int commits)
    {
        if (commits < MadeAheadFrom)
        {
            return new Lazy<DecisionBuffers>(() => new DecisionBuffers(commits, ahead: false));
        }
        var ahead = Task.Run(() => new DecisionBuffers(commits, ahead: true));
        return new Lazy<DecisionBuffers>(() => ahead.GetAwaiter().GetResult());
    }

    /// <summary>Buffers made here and now (a strategy's twin, which decides once).</summary>
    public static DecisionBuffers Made(int commits) => new(commits, ahead: false);

    /// <summary>Writes one element per 4 KB page, so the page is the system's before a decision needs it.</summary>
    private static void Touched<T>(T[] buffer) where T : struct
    {
        var perPage = Math.Max(1, 4096 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        for (var i = 0; i < buffer.Length; i += perPage)
        {
            buffer[i] = default;
        }
    }
}
