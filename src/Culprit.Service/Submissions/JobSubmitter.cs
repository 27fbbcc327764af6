using Culprit.Jobs;
using Culprit.Service.Grains;
using Culprit.Service.Nodes;

namespace Culprit.Service.Submissions;

/// <summary>
/// Turns a submission into a stored job and starts its grain: the one check of the inputs
/// (<see cref="JobSpecValidator"/>, then <c>JobRunner.CreateAsync</c>'s checks of the repository and
/// revisions), the kernel files written to this node, a repository URL fetched into its cache.
/// </summary>
public sealed class JobSubmitter(ServiceOptions options, JobStores stores, JobRunners runners, RepositoryCache repositories, IGrainFactory grains)
{
    public async Task<string> SubmitAsync(JobSubmission submission, CancellationToken ct)
    {
        var spec = submission.Spec;
        JobSpecValidator.Validate(spec);
        if (spec.Kernel is not null)
        {
            spec = spec with { Kernel = WriteFiles(spec.Kernel, submission.Files ?? new Dictionary<string, string>()) };
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
            id = await runners.Create(store, new TextJobListener(TextWriter.Null)).CreateAsync(spec, ct);
        }
        await grains.GetGrain<IJobGrain>(id).StartAsync();
        return id;
    }

    /// <summary>The kernel files saved under this node's inputs, the spec pointing at them.</summary>
    private KernelSpec WriteFiles(KernelSpec kernel, IReadOnlyDictionary<string, string> files)
    {
        var dir = Path.Combine(options.InputsDir, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return kernel with
        {
            Config = Save(dir, "config", kernel.Config, files, "--config"),
            Repro = Save(dir, "repro", kernel.Repro, files, "--repro"),
            Compilers = kernel.Compilers is null ? null : Save(dir, "compilers", kernel.Compilers, files, "--compilers"),
        };
    }

    private static string Save(string dir, string key, string name, IReadOnlyDictionary<string, string> files, string option)
    {
        if (!files.TryGetValue(key, out var content))
        {
            throw new UsageException($"{option} file content is missing from the request (files.{key})");
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
        // Only the file name is kept (a reproducer's extension says what it is); each key gets its own folder.
        var fileName = Path.GetFileName(name);
        if (fileName.Length == 0 || fileName is "." or "..")
        {
            fileName = key;
        }
        var path = Path.Combine(dir, key, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
