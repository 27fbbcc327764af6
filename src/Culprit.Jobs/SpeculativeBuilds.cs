using System.Globalization;
using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>
/// The job's speculative builds (made ahead by idle workers), kept in its work directory so the
/// figures hold across a resume, also of a finished job (the file stays): one line per finished build, <c>COMMIT SECONDS</c>. Which of them
/// were used is in the ledger (<see cref="CommitOutcome.BuiltAhead"/>); the rest were wasted.
/// </summary>
internal sealed class SpeculativeBuilds(string path)
{
    public const string FileName = "speculative-builds";

    private readonly Lock _lock = new();

    public void Made(string commit, double seconds)
    {
        lock (_lock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{commit} {seconds:R}\n"));
        }
    }

    /// <summary>The figures for the job's stats, from this file and the outcomes that used a build made ahead.</summary>
    public Speculation Count(IEnumerable<CommitOutcome> outcomes)
    {
        var made = new List<double>();
        lock (_lock)
        {
            if (File.Exists(path))
            {
                foreach (var line in File.ReadLines(path))
                {
                    // A line cut short by a kill counts as a build whose time is unknown.
                    var parts = line.Split(' ');
                    made.Add(parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0);
                }
            }
        }
        var used = outcomes.Where(o => o.BuiltAhead && !o.BuildAvoided).ToList();
        var wasted = Math.Max(0, made.Count - used.Count);
        var wastedSeconds = Math.Max(0, made.Sum() - used.Sum(o => o.BuildSeconds));
        return new Speculation(made.Count, used.Count, wasted, wastedSeconds);
    }
}

/// <summary>Speculative builds made, used by a later test, and wasted (with the build time they cost).</summary>
internal sealed record Speculation(int Made, int Used, int Wasted, double WastedSeconds)
{
    public static readonly Speculation None = new(0, 0, 0, 0);
}
