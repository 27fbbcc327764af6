using System.Globalization;

namespace Culprit.Jobs;

/// <summary>
/// The one check of a job's options, before the repository is opened or anything is stored: each
/// number within the limits the job can honour (timers, memory), options that go together.
/// </summary>
public static class JobSpecValidator
{
    /// <summary>Runs per tested commit; the flaky strategy may ask for 4× on the bad commit and verification for 2×.</summary>
    public const int MaxRunsPerCommit = 1000;

    /// <summary>A run, build or boot may take at most a week: far beyond any real test, well within the timers' range (49 days).</summary>
    public const double MaxTimeoutSeconds = 7 * 24 * 3600;

    public const int MaxVms = 256;
    public const int MaxVmMemoryMb = 1024 * 1024;
    public const int MaxBudget = 10_000_000;

    /// <summary>Workers (worktrees, builds at once); each holds a checkout and a build directory, and a round's plan grows with them.</summary>
    public const int MaxWorkers = 16;

    public static void Validate(JobSpec spec)
    {
        if (spec.Strategy is not ("classic" or "flaky"))
        {
            throw new UsageException($"unknown strategy: {spec.Strategy} (known: classic, flaky)");
        }
        if (spec.Title is { } title && (title.Trim().Length == 0 || spec.AnyCrash))
        {
            throw new UsageException(spec.AnyCrash ? "give either --title or --any-crash, not both" : "--title must not be empty");
        }
        if (BisectTerms.Error(spec.TermOld, spec.TermNew) is { } terms)
        {
            throw new UsageException(terms);
        }
        if (ConfidenceError(spec.Confidence) is { } confidence)
        {
            throw new UsageException(confidence);
        }
        if (spec.Runs is < 1 or > MaxRunsPerCommit)
        {
            throw new UsageException($"--runs must be between 1 and {MaxRunsPerCommit} (got {spec.Runs})");
        }
        if (spec.Workers is { } workers && workers is < 1 or > MaxWorkers)
        {
            throw new UsageException($"--workers must be between 1 and {MaxWorkers} (got {workers})");
        }
        Timeout("--run-timeout", spec.RunTimeoutSeconds);
        Timeout("--build-timeout", spec.BuildTimeoutSeconds ?? JobSpec.DefaultBuildTimeoutSeconds(spec.Kernel is not null));
        if (spec.MaxRuns is { } maxRuns && maxRuns is < 1 or > MaxBudget)
        {
            throw new UsageException($"--max-runs must be between 1 and {MaxBudget} (got {maxRuns})");
        }
        if (spec.MaxBuilds is { } maxBuilds && maxBuilds is < 1 or > MaxBudget)
        {
            throw new UsageException($"--max-builds must be between 1 and {MaxBudget} (got {maxBuilds})");
        }
        if (spec.Kernel is { } k)
        {
            if (k.Compiler is not null && k.Compilers is not null)
            {
                throw new UsageException("give either --compiler or --compilers, not both");
            }
            if (k.Compiler is { } compiler)
            {
                try
                {
                    Kernel.Build.CompilerSpec.Parse(compiler);
                }
                catch (Kernel.KernelInputException e)
                {
                    throw new UsageException($"--compiler {e.Message}");
                }
            }
            if (k.Vms is < 1 or > MaxVms)
            {
                throw new UsageException($"--vms must be between 1 and {MaxVms} (got {k.Vms})");
            }
            if (k.VmMemoryMb is < 64 or > MaxVmMemoryMb)
            {
                throw new UsageException($"--vm-memory must be between 64 and {MaxVmMemoryMb} MB (got {k.VmMemoryMb})");
            }
            Timeout("--boot-timeout", k.BootTimeoutSeconds);
            if (k.OldestRelease is { } oldest && !Kernel.Releases.ReleaseTags.TryParse(oldest, out _))
            {
                throw new UsageException($"--oldest-release {oldest} is not a release tag like v5.10");
            }
        }
        if (spec.Kernel is null && string.IsNullOrWhiteSpace(spec.Build))
        {
            throw new UsageException("--build is required (or --kernel)");
        }
        if (spec.Kernel is null && string.IsNullOrWhiteSpace(spec.Test))
        {
            throw new UsageException("--test is required (or --kernel)");
        }
        if (spec.Paths is { } paths && paths.FirstOrDefault(p => string.IsNullOrWhiteSpace(p) || p.Any(char.IsControl)) is { } badPath)
        {
            throw new UsageException($"--paths: not a pathspec: '{badPath.ReplaceLineEndings(" ")}'");
        }
        if (spec.BuildInputs is { } inputs && (spec.Kernel is not null || string.IsNullOrWhiteSpace(inputs)))
        {
            throw new UsageException(spec.Kernel is not null ? "--build-inputs is for command mode: kernel builds record their inputs themselves" : "--build-inputs must not be empty");
        }
        if (spec.NoBuildAvoidance && spec.BuildInputs is not null)
        {
            throw new UsageException("--build-inputs is for build avoidance, which --no-build-avoidance turns off");
        }
        if (spec.Direction == Direction.Fix && spec.Good is null)
        {
            throw new UsageException("--fix needs --good: the newer commit where the crash is gone");
        }
        if (spec.MoreGood is { Count: > 0 } more)
        {
            if (spec.Direction == Direction.Fix)
            {
                throw new UsageException("--fix takes one --good: the newer commit where the crash is gone");
            }
            if (spec.Good is null || more.Any(string.IsNullOrWhiteSpace))
            {
                throw new UsageException("--good must not be empty");
            }
        }
    }

    /// <summary>What is wrong with a <c>--confidence</c> (null: nothing); <c>simulate</c> takes the same.</summary>
    public static string? ConfidenceError(double confidence) =>
        double.IsNaN(confidence) || confidence is <= 0.5 or >= 1 ? $"--confidence must be above 0.5 and below 1 (got {Number(confidence)})" : null;

    /// <summary>A timeout in seconds: positive, finite, and within what a timer can wait for.</summary>
    public static void Timeout(string option, double seconds)
    {
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > MaxTimeoutSeconds)
        {
            throw new UsageException($"{option} must be between 0 and {MaxTimeoutSeconds} seconds (7 days), got {Number(seconds)}");
        }
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
