using Culprit.Jobs;

namespace Culprit.Cli;

/// <summary>
/// Checks a file the user gives Culprit to read (<c>--config</c>, <c>--repro</c>, <c>--token-file</c>,
/// a log to parse) before it is opened, so a directory or a missing name is said as such rather than
/// as the runtime's "access denied" or "could not find file".
/// </summary>
internal static class InputFile
{
    /// <summary>Null when <paramref name="path"/> names a file; else what is wrong with it.</summary>
    public static string? Problem(string path) =>
        Directory.Exists(path) ? "is a directory, not a file"
        : !File.Exists(path) ? "not found"
        : null;

    /// <summary>Throws the one-line error <c>OPTION PATH: PROBLEM</c> unless <paramref name="path"/> names a file.</summary>
    public static void Check(string path, string option)
    {
        if (Problem(path) is { } problem)
        {
            throw new JobException($"{option} {path}: {problem}");
        }
    }
}
