using Culprit.Jobs;

namespace Culprit.Service;

/// <summary>What <c>culprit serve</c> was given: where it listens, which cluster it joins and this node's capacity.</summary>
public sealed record ServiceOptions
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Kestrel's listen addresses (<c>--urls</c>, ';'-separated).</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The shared database of a cluster (<c>--cluster</c>); null runs one node alone.</summary>
    public string? Cluster { get; init; }

    /// <summary>Jobs (each building one commit at a time) this node runs at once (<c>--builds</c>).</summary>
    public int Builds { get; init; } = 2;

    /// <summary>QEMU VMs this node runs at once over all its kernel jobs (<c>--vms</c>).</summary>
    public int Vms { get; init; } = 2;

    /// <summary>The node's directory: its store (alone), job work directories, fetched repositories and submitted files.</summary>
    public required string WorkDir { get; init; }

    /// <summary>The bearer token every request must carry (read from <c>--token-file</c>); null: no token.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// How a job's tester is made, given the directory job work directories go in and the node's kept
    /// images (<see cref="ImagesDir"/>); the CLI's crash parsing lives there.
    /// </summary>
    public required Func<string, string, TesterFactory> Testers { get; init; }

    public const int MaxCapacity = 1024;

    public string StorePath => Path.Combine(WorkDir, "culprit.db");

    /// <summary>Beside the store, as the CLI puts them (<c>culprit resume --store</c> finds a job's worktree there).</summary>
    public string JobsDir => Path.Combine(WorkDir, "work");

    public string RepositoriesDir => Path.Combine(WorkDir, "repos");

    /// <summary>Submitted files as this node writes them (<see cref="JobInputs"/>); the same folder <c>culprit resume --store</c> of this node's store uses.</summary>
    public string InputsDir => JobInputs.BesideWorkRoot(JobsDir);

    /// <summary>
    /// The node's kept kernel images, shared by every job worker here (a commit any of them built boots
    /// again without a build) and by <c>culprit resume --store</c> of this node's store; never removed
    /// with a job, bounded in size instead.
    /// </summary>
    public string ImagesDir => Jobs.Testers.Testers.ImagesIn(JobsDir);
}
