using Culprit.Core.Domain;
using Culprit.Git;

namespace Culprit.Jobs;

/// <summary>
/// Build avoidance: a commit X whose tree differs from an already-built commit Y of the job only in
/// files Y's build did not read builds Y's binary, so it is not built or run: it takes Y's outcome.
/// Each successful build's inputs (the tester's list: kbuild's dependency files, or
/// <c>--build-inputs</c>) are kept in the job's work directory by commit, so a resume has them.
/// <para>
/// The culprit rule: X is avoided only when its first parent P is also Y's build (neither
/// <c>diff Y X</c> nor <c>diff Y P</c> touches Y's inputs), i.e. X itself cannot change the build.
/// X then takes the verdict its parent's build has, so (runs being consistent) it is never the first
/// commit with the new verdict: a strategy moves past it to the commit that did change the build. (Judging X
/// by a commit on its other side alone would be sound for the verdict but could leave X, a commit
/// that changed nothing, as the culprit where the real change is its parent's side.)
/// </para>
/// When in doubt the commit is built: no recorded inputs, a file added, deleted or changed in type
/// in a directory that holds an input (a Makefile's wildcard or a new source may pick it up), or no parent.
/// </summary>
internal sealed class BuildAvoidance(GitRepository repo, OutcomeLedger ledger, string directory, string product)
{
    /// <summary>How many built commits (most recently tested first) are compared: the nearest ones decide in practice.</summary>
    private const int Candidates = 8;

    private readonly Dictionary<string, Inputs?> _inputs = new(StringComparer.Ordinal);

    /// <summary>Keeps the inputs of a successful build of <paramref name="commit"/>.</summary>
    public void Record(string commit, IReadOnlyList<string> files)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, commit);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllLines(temp, files);
        File.Move(temp, path, overwrite: true);
        lock (_inputs)
        {
            _inputs[commit] = new Inputs(files);
        }
    }

    /// <summary>
    /// The outcome <paramref name="commit"/> takes without a build, and the line that says why, or
    /// null when it must be built. Only an outcome with at least <paramref name="runs"/> runs is taken,
    /// or one that showed a crash of <paramref name="settlingTitles"/> (its test stopped there: the
    /// runs asked for would have stopped there too).
    /// </summary>
    public async Task<(CommitOutcome Outcome, string Line)?> FindAsync(string commit, int runs, IReadOnlyList<string>? settlingTitles, CancellationToken ct)
    {
        // An outcome that showed nothing about the bug (every run an infra error: a boot that failed)
        // is not handed on: the commit is built and tested for itself, which may show something.
        var candidates = ledger.BuiltSoFar()
            .Where(o => o.Commit != commit && (o.Runs.Count >= runs || o.SettledBy(settlingTitles)) && o.Oks + o.Crashes > 0)
            .Select(o => (Built: o, Inputs: Load(o.Commit))).Where(c => c.Inputs is not null).Take(Candidates).ToList();
        // Nothing recorded (a tester that does not say what a build read): no git call at all.
        IReadOnlyList<string> parents = candidates.Count == 0 ? [] : await repo.ParentsAsync(commit, ct);
        if (parents.Count == 0)
        {
            return null;
        }
        foreach (var (built, inputs) in candidates)
        {
            if (inputs!.Touched(await repo.DiffNamesAsync(built.Commit, commit, ct)))
            {
                continue;
            }
            if (parents[0] != built.Commit && inputs.Touched(await repo.DiffNamesAsync(built.Commit, parents[0], ct)))
            {
                continue;
            }
            var own = await repo.ChangedFilesAsync(commit, ct);
            var line = $"commit {commit} cannot change the {product} ({Describe(own)}): same as {built.Commit}";
            var outcome = built with
            {
                Commit = commit, ReusedFrom = built.Commit, BuildAvoided = true, BuildReused = false, BuildSeconds = 0, TestSeconds = 0,
            };
            return (outcome, line);
        }
        return null;
    }

    /// <summary>The recorded inputs of a build of <paramref name="commit"/>, or null when none were recorded.</summary>
    public Inputs? InputsOf(string commit) => Load(commit);

    /// <summary>What a commit's own change touches, for the log: "touches only A, B" or "changes no file".</summary>
    public static string Describe(IReadOnlyList<string> files) => files.Count switch
    {
        0 => "changes no file",
        <= 3 => "touches only " + string.Join(", ", files),
        _ => $"touches only {string.Join(", ", files.Take(2))} and {files.Count - 2} more files",
    };

    private Inputs? Load(string commit)
    {
        // Workers of a round record and look up inputs at once.
        lock (_inputs)
        {
            if (!_inputs.TryGetValue(commit, out var inputs))
            {
                var path = Path.Combine(directory, commit);
                inputs = File.Exists(path) ? new Inputs(File.ReadAllLines(path)) : null;
                _inputs[commit] = inputs;
            }
            return inputs;
        }
    }

    /// <summary>One build's inputs, and the directories holding them (where an added or deleted file is a doubt).</summary>
    public sealed class Inputs
    {
        private readonly HashSet<string> _files;
        private readonly HashSet<string> _directories;

        public Inputs(IEnumerable<string> files)
        {
            _files = files.Where(f => f.Length > 0).ToHashSet(StringComparer.Ordinal);
            _directories = _files.Select(DirectoryOf).ToHashSet(StringComparer.Ordinal);
        }

        public bool Touched(IEnumerable<(char Status, string Path)> diff) =>
            diff.Any(d => _files.Contains(d.Path) || (d.Status != 'M' && _directories.Contains(DirectoryOf(d.Path))));

        /// <summary>Whether the build read <paramref name="path"/>.</summary>
        public bool Contains(string path) => _files.Contains(path);

        /// <summary>Whether a directory holds a file the build read (an added or deleted file there may be picked up).</summary>
        public bool HoldsDirectoryOf(string path) => _directories.Contains(DirectoryOf(path));

        private static string DirectoryOf(string path) => path.LastIndexOf('/') is var i and >= 0 ? path[..i] : "";
    }
}
