using Culprit.Processes;

namespace Culprit.Kernel.Build;

/// <summary>
/// Reads a build's output line by line as it arrives (<see cref="Processes.ProcessSpec.OnLine"/>) and
/// keeps only what a failed build is explained by: the first distinct error lines, the last lines and
/// the missing tool it names (<see cref="BuildErrors"/>' rules). Every line is seen however long the
/// output, so an error or a missing tool at the head of a chatty build is never lost to a capture's cut.
/// </summary>
public sealed class BuildLogReader
{
    private readonly List<string> _prefixes;
    private readonly int _maxErrors;
    private readonly int _tail;
    private readonly List<string> _errors = [];
    private readonly Queue<string> _last = new();
    private BuildErrors.MissingTool? _missing;

    public BuildLogReader(IEnumerable<string> directories, int maxErrors = 10, int tail = 5)
    {
        _prefixes = directories.Where(d => d.Length > 0).Select(d => d.TrimEnd('/') + "/").OrderByDescending(d => d.Length).ToList();
        _maxErrors = maxErrors;
        _tail = tail;
    }

    /// <summary>The next line of output (one call at a time, in order).</summary>
    public void Add(string line)
    {
        line = line.Trim();
        if (line.Length == 0)
        {
            return;
        }
        if (BuildErrors.MissingIn(line) is { } missing && (_missing is null || missing.Rank > _missing.Rank))
        {
            _missing = missing;
        }
        // make's "Entering/Leaving directory" lines only name where the worker builds.
        if (line.Contains(" directory '", StringComparison.Ordinal)
            && (line.Contains("Entering", StringComparison.Ordinal) || line.Contains("Leaving", StringComparison.Ordinal)))
        {
            return;
        }
        line = Clean(line);
        if (_errors.Count < _maxErrors && BuildErrors.IsErrorLine(line) && !_errors.Contains(line))
        {
            _errors.Add(line);
        }
        _last.Enqueue(line);
        if (_last.Count > _tail)
        {
            _last.Dequeue();
        }
    }

    /// <summary>The lines to show: the error lines first, then the last lines that are not among them.</summary>
    public string Summary => string.Join('\n', _errors.Concat(_last.Where(l => !_errors.Contains(l))));

    /// <summary>A missing program or library behind the failure, or null when it is the code's fault.</summary>
    public MissingToolException? MissingTool => _missing?.Exception;

    private string Clean(string line)
    {
        foreach (var p in _prefixes)
        {
            line = line.Replace(p, "", StringComparison.Ordinal);
        }
        return line;
    }
}
