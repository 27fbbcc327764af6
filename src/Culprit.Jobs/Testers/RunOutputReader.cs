using Culprit.Core.Domain;
using Culprit.Crash.Streaming;
using Culprit.Crash.UserSpace;

namespace Culprit.Jobs.Testers;

/// <summary>
/// Reads a test run's output line by line as it arrives (<see cref="Processes.ProcessSpec.OnLine"/>)
/// and finds in it what <see cref="CommandTester.Classify"/> decides from: the first <c>TITLE: </c>
/// line, a kernel crash report and a user-space crash report (each parser in its streaming form, a
/// <see cref="FedParser{T}"/> of its own), the last non-empty line,
/// and what is stored of the output (<see cref="RunOutputKeeper"/>). Every line is seen, however
/// long the output, and memory stays flat in its size: no capture of the output is kept.
/// </summary>
internal sealed class RunOutputReader : IDisposable
{
    private const string TitlePrefix = "TITLE: ";

    private readonly FedParser<RunOutcome?> _kernel;
    private readonly FedParser<UserSpaceReport?> _userSpace;
    private readonly RunOutputKeeper _kept = new();
    private string? _titleLine;
    private string? _lastLine;

    public RunOutputReader(Func<TextReader, RunOutcome?> kernelParser)
    {
        _kernel = new(kernelParser);
        _userSpace = new(feed => UserSpaceCrashParser.Parse(feed));
    }

    /// <summary>The next line of output (called one line at a time, in order).</summary>
    public void Add(string line)
    {
        var namesCrash = _titleLine is null && line.StartsWith(TitlePrefix, StringComparison.Ordinal);
        if (namesCrash)
        {
            _titleLine = line;
        }
        if (line.Length > 0)
        {
            _lastLine = line;
        }
        _kept.Add(line, namesCrash);
        _kernel.Add(line);
        _userSpace.Add(line);
    }

    /// <summary>What the whole output showed, once the run has ended (no line comes after this).</summary>
    public async Task<RunOutput> FinishAsync()
    {
        var kernel = await _kernel.FinishAsync();
        var userSpace = await _userSpace.FinishAsync();
        return new RunOutput(_titleLine?[TitlePrefix.Length..].Trim(), kernel, userSpace, _lastLine, _kept.Kept);
    }

    /// <summary>Stops the parsers (a run cancelled before its end).</summary>
    public void Dispose()
    {
        _kernel.Dispose();
        _userSpace.Dispose();
    }
}

/// <summary>
/// What a run's output showed: the title of its first <c>TITLE: </c> line, the kernel crash and the
/// user-space report found in it, its last non-empty line, and what is stored of it (given the report
/// that names the run, if one does).
/// </summary>
internal sealed record RunOutput(string? Title, RunOutcome? KernelCrash, UserSpaceReport? UserSpace, string? LastLine, Func<string?, string> Kept);
