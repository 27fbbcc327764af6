using Culprit.Jobs;

namespace Culprit.Service.Submissions;

/// <summary>
/// The body of <c>POST /api/jobs</c>: the job's inputs exactly as <c>culprit bisect</c> stores them
/// (<see cref="JobSpec"/>, snake_case JSON), and the content of the files they name. A kernel job's
/// <c>config</c>, <c>repro</c> and <c>compilers</c> travel in <see cref="Files"/> (base64, keyed by
/// those names); the spec keeps only their file names, since the server cannot read the submitter's disk.
/// </summary>
public sealed record JobSubmission
{
    public required JobSpec Spec { get; init; }

    public IReadOnlyDictionary<string, string>? Files { get; init; }

    /// <summary>The names under which a kernel job's files travel.</summary>
    public static readonly IReadOnlyList<string> FileNames = ["config", "repro", "compilers"];

    /// <summary>
    /// The largest file a job may be submitted with: a kernel config is a few hundred KiB, a
    /// reproducer less. The store keeps the files with the job, and three of them, in base64, stay
    /// within the server's request limit (30 MB).
    /// </summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The one-line error for a file over <see cref="MaxFileBytes"/>.</summary>
    public static UsageException TooLarge(string option, string name, long bytes) =>
        new($"{option} file {name} is {bytes} bytes; a submitted file may have at most {MaxFileBytes} bytes (4 MiB)");

    /// <summary>The submission of <paramref name="spec"/>, whose kernel files are read from the submitter's disk.</summary>
    public static JobSubmission Of(JobSpec spec)
    {
        if (spec.Kernel is not { } kernel)
        {
            return new JobSubmission { Spec = spec };
        }
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["config"] = Read(kernel.Config, "--config"),
            ["repro"] = Read(kernel.Repro, "--repro"),
        };
        if (kernel.Compilers is { } compilers)
        {
            files["compilers"] = Read(compilers, "--compilers");
        }
        var named = kernel with
        {
            Config = Path.GetFileName(kernel.Config),
            Repro = Path.GetFileName(kernel.Repro),
            Compilers = kernel.Compilers is null ? null : Path.GetFileName(kernel.Compilers),
        };
        return new JobSubmission { Spec = spec with { Kernel = named }, Files = files };
    }

    /// <summary>A file's content in base64, refused before it is read when it is too large to submit.</summary>
    private static string Read(string path, string option)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw TooLarge(option, path, length);
        }
        return Convert.ToBase64String(File.ReadAllBytes(path));
    }
}
