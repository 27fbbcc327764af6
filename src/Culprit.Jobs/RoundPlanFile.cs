using System.Globalization;
using System.Text;
using Culprit.Core.Strategies;

namespace Culprit.Jobs;

/// <summary>
/// The bisection round being tested, as the strategy planned it, kept in the job's work directory
/// for a resume: a job killed during a round would otherwise make that round's decision again before
/// its next test (up to a second at a million commits), though strategies are deterministic and the
/// plan is the same. A cache only: a file that is missing, cut short, of another round or unreadable
/// is no plan, and the round is decided again. Text, not JSON: a resume reads it before anything else
/// is ready, and titles are one line each (a plan whose titles are not is not kept).
/// </summary>
internal sealed class RoundPlanFile(string path)
{
    public const string FileName = "round.plan";

    private const string Header = "culprit round plan 1";

    /// <summary>Keeps round <paramref name="round"/>'s tests (the file is replaced whole: a kill leaves the old plan or the new one).</summary>
    public void Save(int round, IReadOnlyList<TestCommit> tests)
    {
        var text = new StringBuilder().Append(Header).Append('\n').Append(CultureInfo.InvariantCulture, $"round {round}\n");
        foreach (var test in tests)
        {
            text.Append(CultureInfo.InvariantCulture, $"test {test.Commit} {test.Runs} {test.RevisionsLeft} {test.Steps}\n");
            foreach (var title in test.SettlingTitles ?? [])
            {
                if (title.Contains('\n') || title.Contains('\r'))
                {
                    Remove();
                    return;
                }
                text.Append("title ").Append(title).Append('\n');
            }
        }
        text.Append("end\n");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".new";
            File.WriteAllText(temp, text.ToString());
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache: without it a resume decides the round again.
            Remove();
        }
    }

    /// <summary>Round <paramref name="round"/>'s tests as planned, or null when the file does not hold that round whole.</summary>
    public IReadOnlyList<TestCommit>? Load(int round)
    {
        string[] lines;
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (lines.Length < 4 || lines[0] != Header || lines[1] != $"round {round.ToString(CultureInfo.InvariantCulture)}" || lines[^1] != "end")
        {
            return null;
        }
        var tests = new List<(string Commit, int Runs, int Left, int Steps, List<string> Titles)>();
        foreach (var line in lines[2..^1])
        {
            if (line.StartsWith("title ", StringComparison.Ordinal) && tests.Count > 0)
            {
                tests[^1].Titles.Add(line["title ".Length..]);
                continue;
            }
            var parts = line.Split(' ');
            if (parts.Length != 5 || parts[0] != "test" || parts[1].Length == 0
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var runs) || runs < 1
                || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var left)
                || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var steps))
            {
                return null;
            }
            tests.Add((parts[1], runs, left, steps, []));
        }
        return tests.Count == 0 ? null : tests.Select(t => new TestCommit(t.Commit, t.Runs, t.Left, t.Steps, t.Titles.Count > 0 ? t.Titles : null)).ToList();
    }

    public void Remove()
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // What cannot be removed is checked again when read: a plan of another round is no plan.
        }
    }
}
