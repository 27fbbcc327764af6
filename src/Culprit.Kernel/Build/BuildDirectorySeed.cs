namespace Culprit.Kernel.Build;

/// <summary>
/// Where a worker's empty O= directory starts from: another worker's builder (the job's first), whose
/// finished build is copied instead of building the whole kernel again, and how to list the files
/// that differ between two commits (git, which the kernel layer does not call itself).
/// </summary>
/// <param name="From">The builder whose O= directory is copied; it is not building while it is copied.</param>
/// <param name="ChangedFiles">The paths (relative to the tree) whose content differs between two commits, renames as a delete and an add.</param>
public sealed record BuildDirectorySeed(
    KernelBuilder From,
    Func<string, string, CancellationToken, Task<IReadOnlyList<string>>> ChangedFiles);
