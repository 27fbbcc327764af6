using Culprit.Kernel.Build;
using Culprit.Processes;

namespace Culprit.Kernel.Maintainers;

/// <summary>
/// Finds the cc list for a culprit commit in a kernel repository: author and committer emails, plus
/// the M: and L: addresses for the files it touches, from the commit's own
/// <c>scripts/get_maintainer.pl</c> and MAINTAINERS when it has them (and perl is installed),
/// otherwise by matching the commit's MAINTAINERS here (<see cref="MaintainersFile"/>).
/// </summary>
public sealed class MaintainersLookup(string repositoryDirectory)
{
    /// <summary>
    /// get_maintainer.pl options: plain addresses (no names, no role statistics), maintainers and
    /// lists only (no reviewers), and nothing from git history, so the answer depends only on the
    /// commit and its MAINTAINERS.
    /// </summary>
    public static IReadOnlyList<string> GetMaintainerOptions { get; } =
    [
        "--no-tree", "--no-n", "--no-rolestats", "--no-git", "--no-git-fallback", "--no-fixes",
        "--m", "--l", "--no-r", "--no-multiline",
    ];

    public string RepositoryDirectory { get; } = repositoryDirectory;

    /// <summary>Run the commit's scripts/get_maintainer.pl when it has one (the default); false always parses MAINTAINERS.</summary>
    public bool UseTreeScript { get; init; } = true;

    /// <summary>
    /// The most characters of one output read (the culprit's patch is the largest); a longer one is
    /// an error naming the cut, never a cc list made from a cut text.
    /// </summary>
    public int MaxOutputChars { get; init; } = 64 * 1024 * 1024;

    public async Task<CcList> FindAsync(string commit, CancellationToken cancellationToken = default)
    {
        var people = await GitAsync(["show", "-s", "--format=%ae%n%ce", commit], cancellationToken);
        var patch = await GitAsync(["show", "--format=email", "--no-color", "--diff-merges=first-parent", commit], cancellationToken);
        var maintainersText = await ShowFileAsync(commit, "MAINTAINERS", cancellationToken);
        var authors = people.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (maintainersText is null)
        {
            return CcList.Of(authors, "none");
        }

        var script = UseTreeScript ? await ShowFileAsync(commit, "scripts/get_maintainer.pl", cancellationToken) : null;
        if (script is not null && HostTools.Find("perl") is { } perl
            && await RunGetMaintainerAsync(perl, script, maintainersText, patch, cancellationToken) is { } found)
        {
            return CcList.Of(authors.Concat(found), "scripts/get_maintainer.pl");
        }
        var directories = (await GitAsync(["ls-tree", "-r", "-d", "--name-only", commit], cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
        var file = MaintainersFile.Parse(maintainersText, directories.Contains);
        return CcList.Of(authors.Concat(file.AddressesFor(MaintainersFile.FilesInPatch(patch), patch)), "MAINTAINERS");
    }

    private async Task<IReadOnlyList<string>?> RunGetMaintainerAsync(string perl, string script, string maintainers, string patch, CancellationToken cancellationToken)
    {
        var temp = Directory.CreateTempSubdirectory("culprit-maintainers-");
        try
        {
            var scriptPath = Path.Combine(temp.FullName, "get_maintainer.pl");
            var maintainersPath = Path.Combine(temp.FullName, "MAINTAINERS");
            await File.WriteAllTextAsync(scriptPath, script, cancellationToken);
            await File.WriteAllTextAsync(maintainersPath, maintainers, cancellationToken);
            // Run in the repository so that the script's directory checks, .mailmap and
            // .get_maintainer.ignore see the tree; the script and MAINTAINERS are the commit's.
            var spec = new ProcessSpec(perl, [scriptPath, .. GetMaintainerOptions, "--mpath", maintainersPath])
            {
                WorkingDirectory = RepositoryDirectory,
                StandardInput = patch,
                Timeout = TimeSpan.FromMinutes(2),
                Environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" },
            };
            var result = await ProcessRunner.RunAsync(spec with { MaxCapturedChars = MaxOutputChars }, cancellationToken);
            if (!result.Succeeded)
            {
                return null;
            }
            Whole(result, "scripts/get_maintainer.pl");
            // Plain addresses, except where .mailmap or duplicates make it keep a name.
            return [.. result.StandardOutput
                .Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(EmailAddress.In)
                .OfType<string>()];
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private async Task<string?> ShowFileAsync(string commit, string path, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(Git(["show", $"{commit}:{path}"]), cancellationToken);
        return result.Succeeded ? Whole(result, "git show") : null;
    }

    private async Task<string> GitAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Whole(await ProcessRunner.RunCheckedAsync(Git(arguments), cancellationToken), $"git {arguments[0]}");

    /// <summary>The output, or <see cref="ProcessFailedException"/> naming the cut when it lost its head to the limit.</summary>
    private string Whole(ProcessResult result, string what) =>
        result.StandardOutputTruncated
            ? throw new ProcessFailedException(FormattableString.Invariant($"{what} output exceeded {MaxOutputChars} characters (finding the cc list)"), result)
            : result.StandardOutput;

    private ProcessSpec Git(IReadOnlyList<string> arguments) =>
        new("git", ["-C", RepositoryDirectory, .. arguments]) { Timeout = TimeSpan.FromMinutes(2), MaxCapturedChars = MaxOutputChars };
}
