using Culprit.Core.Domain;

namespace Culprit.Core.Simulation;

/// <summary>One crash of the bug as the crash parser would name it.</summary>
public sealed record Manifestation(string Title, IReadOnlyList<string> AltTitles, double Weight);

/// <summary>
/// One generated bisection: the range, the true culprit, and how the world behaves (repro chance,
/// the bug's manifestations, unrelated crashes, broken builds, infra errors, timings).
/// <see cref="RightCandidates"/> is the right answer: the culprit alone, or, when broken builds right
/// before it make it impossible to tell apart from them, those commits and the culprit.
/// </summary>
public sealed class Scenario
{
    private readonly bool[] _broken;
    private readonly bool[] _hasBug;

    internal Scenario(
        int index,
        ulong seed,
        CommitGraph graph,
        int culprit,
        double reproChance,
        IReadOnlyList<Manifestation> manifestations,
        double unrelatedRate,
        IReadOnlyList<Manifestation> unrelatedCrashes,
        double brokenRate,
        double infraRate,
        double buildSeconds,
        double runSeconds,
        bool[] broken,
        bool[] hasBug,
        IReadOnlyList<string> rightCandidates,
        WorldFacts? facts = null)
    {
        Index = index;
        Seed = seed;
        Graph = graph;
        Culprit = culprit;
        ReproChance = reproChance;
        Manifestations = manifestations;
        UnrelatedRate = unrelatedRate;
        UnrelatedCrashes = unrelatedCrashes;
        BrokenRate = brokenRate;
        InfraRate = infraRate;
        BuildSeconds = buildSeconds;
        RunSeconds = runSeconds;
        _broken = broken;
        _hasBug = hasBug;
        RightCandidates = rightCandidates;
        Facts = facts ?? WorldFacts.Model;
    }

    public int Index { get; }
    public ulong Seed { get; }
    public CommitGraph Graph { get; }

    /// <summary>Index of the culprit in <see cref="Graph"/>.</summary>
    public int Culprit { get; }
    public string CulpritCommit => Graph.Commits[Culprit];
    public double ReproChance { get; }
    public IReadOnlyList<Manifestation> Manifestations { get; }
    public double UnrelatedRate { get; }
    public IReadOnlyList<Manifestation> UnrelatedCrashes { get; }
    public double BrokenRate { get; }
    public double InfraRate { get; }
    public double BuildSeconds { get; }
    public double RunSeconds { get; }
    public IReadOnlyList<string> RightCandidates { get; }

    /// <summary>Whether broken builds next to the culprit make the right answer a set of commits.</summary>
    public bool Ambiguous => RightCandidates.Count > 1;

    /// <summary>How this scenario's world departs from the flaky model (none for the benchmark's own scenarios).</summary>
    public WorldFacts Facts { get; }

    public World World => Facts.World;

    public bool IsBroken(int commit) => _broken[commit];

    public bool HasBug(int commit) => _hasBug[commit];

    /// <summary>The chance a run of <paramref name="commit"/> shows the bug, if it has it.</summary>
    public double ReproChanceAt(int commit) => Facts.ReproChanceChangedAt is { } t && Facts.ChangedSet![commit] ? Facts.NewReproChance : ReproChance;

    /// <summary>The titles the bug crashes with on <paramref name="commit"/>.</summary>
    public IReadOnlyList<Manifestation> ManifestationsAt(int commit) =>
        Facts.TitleChangedAt is { } && Facts.ChangedSet![commit] ? Facts.NewManifestations! : Manifestations;

    /// <summary>Whether <paramref name="commit"/> has the second bug of <see cref="World.SecondBug"/>.</summary>
    public bool HasSecondBug(int commit) => Facts.SecondBug is not null && Facts.ChangedSet![commit];

    /// <summary>A copy of this scenario with another world's facts and bug.</summary>
    internal Scenario With(int culprit, bool[] hasBug, IReadOnlyList<string> rightCandidates, WorldFacts facts) =>
        new(Index, Seed, Graph, culprit, ReproChance, Manifestations, UnrelatedRate, UnrelatedCrashes, BrokenRate, InfraRate,
            BuildSeconds, RunSeconds, _broken, hasBug, rightCandidates, facts);
}
