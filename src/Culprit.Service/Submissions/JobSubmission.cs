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

    /// <summary>The submission of <paramref name="spec"/>, whose kernel files are read from the submitter's disk.</summary>
    public static JobSubmission Of(JobSpec spec)
    {
        if (spec.Kernel is not { } kernel)
        {
            return new JobSubmission { Spec = spec };
        }
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["config"] = Convert.ToBase64String(File.ReadAllBytes(kernel.Config)),
            ["repro"] = Convert.ToBase64String(File.ReadAllBytes(kernel.Repro)),
        };
        if (kernel.Compilers is { } compilers)
        {
            files["compilers"] = Convert.ToBase64String(File.ReadAllBytes(compilers));
        }
        var named = kernel with
        {
            Config = Path.GetFileName(kernel.Config),
            Repro = Path.GetFileName(kernel.Repro),
            Compilers = kernel.Compilers is null ? null : Path.GetFileName(kernel.Compilers),
        };
        return new JobSubmission { Spec = spec with { Kernel = named }, Files = files };
    }
}
