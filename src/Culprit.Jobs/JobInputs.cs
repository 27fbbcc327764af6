using Culprit.Store;

namespace Culprit.Jobs;

/// <summary>
/// The files a job was submitted with, as this machine has them: the store keeps them with the job
/// (any service node may test its commits, and <c>culprit resume --store</c> may run it on the
/// service's own store), and each machine writes them once into its own inputs directory, by
/// content (<c>inputs/SHA256/NAME</c>: two jobs submitted with one config share it, and a file
/// there is never rewritten with other content). The job's spec then points at those copies.
/// A job stored without files (a path given to the CLI, a store older than the files) keeps its paths.
/// </summary>
public sealed class JobInputs(string dir)
{
    /// <summary>The inputs directory beside a store's job work directories (<c>DIR/inputs</c> for <c>DIR/work</c>): a service node's and its store's CLI share it.</summary>
    public static string BesideWorkRoot(string workRoot) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(workRoot).TrimEnd('/'))!, "inputs");

    /// <summary>
    /// A tester factory that makes each tester from the job's spec with its stored files written here
    /// first (<see cref="Materialise"/>): what the tester reads is this machine's copy.
    /// </summary>
    public TesterFactory Around(JobStore store, TesterFactory testers) =>
        (spec, repo, jobId, ct) => testers(Materialise(store, jobId, spec), repo, jobId, ct);

    /// <summary><paramref name="spec"/> with its kernel files pointing at this machine's copies, written first when missing.</summary>
    public JobSpec Materialise(JobStore store, string jobId, JobSpec spec)
    {
        if (spec.Kernel is not { } kernel)
        {
            return spec;
        }
        var files = store.JobFiles(jobId);
        if (files.Count == 0)
        {
            return spec;
        }
        var paths = files.ToDictionary(f => f.Name, f => Copy(store, jobId, f), StringComparer.Ordinal);
        return spec with
        {
            Kernel = kernel with
            {
                Config = paths.GetValueOrDefault("config", kernel.Config),
                Repro = paths.GetValueOrDefault("repro", kernel.Repro),
                Compilers = kernel.Compilers is null ? null : paths.GetValueOrDefault("compilers", kernel.Compilers),
            },
        };
    }

    /// <summary>Where this machine keeps the file with content hash <paramref name="sha256"/> named <paramref name="fileName"/>.</summary>
    public string PathOf(string sha256, string fileName) => Path.Combine(dir, sha256, fileName);

    private string Copy(JobStore store, string jobId, StoredJobFile file)
    {
        if (file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower) || Path.GetFileName(file.FileName) != file.FileName
            || file.FileName is "" or "." or "..")
        {
            throw new JobException($"job {jobId}: stored file {file.Name} has a bad name or hash ({file.FileName}, {file.Sha256})");
        }
        var path = PathOf(file.Sha256, file.FileName);
        if (File.Exists(path))
        {
            return path;
        }
        var content = store.JobFileContent(jobId, file.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written aside and renamed: a worker of another job reading the same file never sees half of it.
        var partial = $"{path}.{Guid.NewGuid():N}.part";
        File.WriteAllBytes(partial, content);
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
