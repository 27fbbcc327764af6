using Culprit.Jobs;
using Culprit.Service.Grains;
using Culprit.Service.Nodes;
using Culprit.Store;

namespace Culprit.Service.Submissions;

/// <summary>
/// Turns a submission into a stored job and starts its grain: the one check of the inputs
/// (<see cref="JobSpecValidator"/>, then <c>JobRunner.CreateAsync</c>'s checks of the repository and
/// revisions), a kernel job's files stored with the job (each node writes them into its own work
/// directory before it tests there: <see cref="JobInputs"/>), a repository URL fetched into its cache.
/// </summary>
public sealed class JobSubmitter(JobStores stores, JobRunners runners, RepositoryCache repositories, IGrainFactory grains)
{
    public async Task<string> SubmitAsync(JobSubmission submission, CancellationToken ct)
    {
        var spec = submission.Spec;
        JobSpecValidator.Validate(spec);
        IReadOnlyList<JobFile> files = [];
        if (spec.Kernel is { } kernel)
        {
            (spec, files) = (spec with { Kernel = Named(kernel) }, Files(kernel, submission.Files ?? new Dictionary<string, string>()));
        }
        if (RepositoryCache.IsUrl(spec.Repo))
        {
            // The URL stays in the job: another node its job or commits move to fetches it itself.
            spec = spec with { Repo = await repositories.FetchAsync(spec.Repo, ct), Origin = spec.Repo };
        }
        else if (!Path.IsPathFullyQualified(spec.Repo))
        {
            throw new UsageException($"--repo must be an absolute path on the server or a URL (got {spec.Repo})");
        }
        else
        {
            spec = spec with { Origin = null };
        }
        string id;
        using (var store = stores.Open())
        {
            id = await runners.Create(store, new TextJobListener(TextWriter.Null)).CreateAsync(spec, files, ct);
        }
        await grains.GetGrain<IJobGrain>(id).StartAsync();
        return id;
    }

    /// <summary>
    /// The spec keeps the user's file names (what <c>culprit show</c> names); the files themselves
    /// are in the store, and the name is also the name of each node's copy (a reproducer's extension says what it is).
    /// </summary>
    private static KernelSpec Named(KernelSpec kernel) => kernel with
    {
        Config = FileName(kernel.Config, "config"),
        Repro = FileName(kernel.Repro, "repro"),
        Compilers = kernel.Compilers is null ? null : FileName(kernel.Compilers, "compilers"),
    };

    private static string FileName(string name, string key) => Path.GetFileName(name) is { Length: > 0 } file and not "." and not ".." ? file : key;

    private static List<JobFile> Files(KernelSpec kernel, IReadOnlyDictionary<string, string> files)
    {
        var list = new List<JobFile>
        {
            File(files, "config", kernel.Config, "--config"),
            File(files, "repro", kernel.Repro, "--repro"),
        };
        if (kernel.Compilers is { } compilers)
        {
            list.Add(File(files, "compilers", compilers, "--compilers"));
        }
        return list;
    }

    private static JobFile File(IReadOnlyDictionary<string, string> files, string key, string name, string option)
    {
        if (!files.TryGetValue(key, out var content))
        {
            throw new UsageException($"{option} file content is missing from the request (files.{key})");
        }
        // Checked before decoding: base64 is 4 characters for 3 bytes, less one per '=' of padding.
        var length = content.Length / 4L * 3 - (content.EndsWith("==", StringComparison.Ordinal) ? 2 : content.EndsWith('=') ? 1 : 0);
        if (length > JobSubmission.MaxFileBytes)
        {
            throw JobSubmission.TooLarge(option, FileName(name, key), length);
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(content);
        }
        catch (FormatException)
        {
            throw new UsageException($"{option} file content is not base64 (files.{key})");
        }
        return new JobFile(key, FileName(name, key), bytes);
    }
}
