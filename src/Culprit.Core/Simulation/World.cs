namespace Culprit.Core.Simulation;

/// <summary>
/// The kinds of scenario <c>culprit simulate --worlds</c> runs, besides the flaky model's own:
/// each breaks one of its assumptions.
/// </summary>
public enum World
{
    /// <summary>The benchmark's scenarios: one bug, fixed titles and repro chance, a given good commit.</summary>
    Model,

    /// <summary>A second, rarer bug with other titles comes in at another commit of the range.</summary>
    SecondBug,

    /// <summary>The bug's crashes take new titles (no shared alt title) from a later commit on.</summary>
    TitleChange,

    /// <summary>The repro chance changes (×¼ to ×4) from a later commit on.</summary>
    ReproChange,

    /// <summary>The bug comes in, is fixed, and comes in again inside the range.</summary>
    Reintroduced,

    /// <summary>No good commit is given: releases are walked back from the bad commit as a job does.</summary>
    ReleaseWalk,

    /// <summary>
    /// The repro chance rises four- to sixteen-fold (to at most every run) from a later commit on: that commit only makes a
    /// rare bug show often (a timing change that widens a race), the kind of culprit syzbot's reviews found wrong.
    /// Last: a world's number seeds its draws, so the other worlds keep theirs.
    /// </summary>
    ReproRise,
}

/// <summary>
/// What a world changed. <see cref="ChangedAt"/> is the commit from which the change holds (for its
/// descendants, <see cref="ChangedSet"/>); <see cref="Decoy"/> is the commit a strategy fooled by
/// the world would name (the title change, the first introduction, the second bug's culprit).
/// </summary>
public sealed record WorldFacts(
    World World,
    int? ChangedAt = null,
    bool[]? ChangedSet = null,
    int? Decoy = null,
    double NewReproChance = 0,
    IReadOnlyList<Manifestation>? NewManifestations = null,
    Manifestation? SecondBug = null,
    double SecondReproChance = 0,
    IReadOnlyList<string>? Releases = null)
{
    public static WorldFacts Model { get; } = new(World.Model);

    public int? ReproChanceChangedAt => World is World.ReproChange or World.ReproRise ? ChangedAt : null;

    public int? TitleChangedAt => World == World.TitleChange ? ChangedAt : null;
}

public static class WorldNames
{
    public static string ToWire(this World world) => world switch
    {
        World.Model => "model",
        World.SecondBug => "second-bug",
        World.TitleChange => "title-change",
        World.ReproChange => "repro-change",
        World.ReproRise => "repro-rise",
        World.Reintroduced => "reintroduced",
        _ => "release-walk",
    };

    /// <summary>What the right answer is in each world (printed with the report).</summary>
    public static string Truth(this World world) => world switch
    {
        World.Model => "the culprit",
        World.SecondBug => "the culprit of the bug the bad commit shows most (the second bug crashes 20-60 % as often)",
        World.TitleChange => "the commit that brought the crash in, not the one that changed its title",
        World.ReproChange => "the culprit (the repro chance changes later)",
        World.ReproRise => "the culprit, not the later commit that makes the bug show 4-16 times as often",
        World.Reintroduced => "the reintroduction: the commit that made the bad commit crash",
        _ => "the culprit (the range ends at the newest release judged good)",
    };

    public static IReadOnlyList<World> All { get; } = Enum.GetValues<World>();

    /// <summary>Every world's name, as <see cref="ToWire"/> writes it.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. All.Select(w => w.ToWire())];

    /// <summary>The world <see cref="ToWire"/> names <paramref name="name"/>.</summary>
    public static bool TryParse(string name, out World world)
    {
        world = All.FirstOrDefault(w => w.ToWire() == name);
        return world.ToWire() == name;
    }
}
