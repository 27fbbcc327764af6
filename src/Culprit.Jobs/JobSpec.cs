namespace Culprit.Jobs;

/// <summary>Which change a job looks for.</summary>
public enum Direction
{
    /// <summary>The commit that introduced the crash.</summary>
    Cause,
    /// <summary>The commit that made the crash go away.</summary>
    Fix,
}

/// <summary>
/// The inputs of a job, stored with it so that <c>culprit resume</c> continues the same job.
/// Revisions are stored resolved to full hashes.
/// </summary>
public sealed record JobSpec
{
    public required string Repo { get; init; }

    /// <summary>
    /// The repository's URL as submitted to the service (<see cref="Repo"/> is then the first node's
    /// clone): any other machine the job or its commits move to fetches it into its own cache. Null: <see cref="Repo"/> is reachable as it is.
    /// </summary>
    public string? Origin { get; init; }
    public required string Bad { get; init; }
    public string? Good { get; init; }
    public string? BadRevision { get; init; }
    public string? GoodRevision { get; init; }

    /// <summary>
    /// The other good commits (<c>--good</c> given more than once, as <c>git bisect start BAD GOOD1 GOOD2</c>),
    /// stored resolved: the range leaves out what any of them reaches. None is the bad commit or after it.
    /// </summary>
    public IReadOnlyList<string>? MoreGood { get; init; }

    /// <summary>
    /// With several good commits, some not ancestors of the bad one: the merge bases of the bad commit and
    /// all the good commits (<c>git merge-base --all BAD GOOD1 GOOD2…</c>) that are not good commits
    /// themselves. Each is tested first, as git bisect does; one judged bad ends the job (the crash was
    /// fixed between it and the good commits). The range is the same either way.
    /// </summary>
    public IReadOnlyList<string>? GoodMergeBases { get; init; }

    /// <summary>
    /// Set when the good commit given is not an ancestor of the bad one (a stable tag against
    /// mainline): their merge base, which the job tests first, as git bisect does ("a merge base must
    /// be tested"). Judged good, it is the range's good end (the same range: what the bad commit has
    /// of the good one's history is what the merge base has); judged bad, the crash was fixed between
    /// it and the good commit.
    /// </summary>
    public string? MergeBase { get; init; }
    public Direction Direction { get; init; } = Direction.Cause;
    public string TermOld { get; init; } = "good";
    public string TermNew { get; init; } = "bad";

    /// <summary>Shell command that builds the checked-out commit (command mode).</summary>
    public string? Build { get; init; }

    /// <summary>Shell command that tests it once (command mode).</summary>
    public string? Test { get; init; }

    /// <summary><c>--paths</c>: only commits touching these pathspecs are tested (as <c>git bisect start … -- PATHS</c>); null = all.</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>
    /// <c>--first-parent</c>: only the bad commit's first-parent line is bisected (as <c>git bisect start
    /// --first-parent</c>): the culprit is the merge that brought the bug in (or a commit made on that
    /// line), and the merged branches' own commits, broken or not, are never tested.
    /// </summary>
    public bool FirstParent { get; init; }

    /// <summary><c>--build-inputs</c>: shell command run after a build that prints the files the build read, one per line (command mode).</summary>
    public string? BuildInputs { get; init; }

    /// <summary>
    /// <c>--no-build-avoidance</c>: build every tested commit, even one whose diff touches none of a
    /// built commit's inputs (syzbot's procedure, for comparison). Signature reuse after a build stays.
    /// </summary>
    public bool NoBuildAvoidance { get; init; }

    /// <summary>
    /// <c>--skip-untestable</c>: a commit whose every run is an infra error (the test said 125, the VM
    /// did not start) is skipped, as <c>git bisect run</c> skips on 125, instead of stopping the job
    /// to be resumed once the machine is mended.
    /// </summary>
    public bool SkipUntestable { get; init; }

    public int Runs { get; init; } = 10;
    public double RunTimeoutSeconds { get; init; } = 600;

    /// <summary><c>--build-timeout</c>; null (jobs stored before it existed) means the default for the mode.</summary>
    public double? BuildTimeoutSeconds { get; init; }
    public string Strategy { get; init; } = "classic";
    public double Confidence { get; init; } = 0.95;
    public int? MaxRuns { get; init; }
    public int? MaxBuilds { get; init; }
    public bool AnyCrash { get; init; }

    /// <summary>The bug's crash title as the user named it (<c>--title</c>); other crashes are other bugs.</summary>
    public string? Title { get; init; }
    public bool Verify { get; init; } = true;
    public int Seed { get; init; }

    /// <summary>
    /// <c>--workers</c>: commits tested at once, each in its own worktree. Resolved when the job is
    /// created (the rounds depend on it, so a resume replays them); null in jobs stored before it existed: 1.
    /// </summary>
    public int? Workers { get; init; }

    /// <summary>Kernel mode settings, null in command mode.</summary>
    public KernelSpec? Kernel { get; init; }

    /// <summary>How long one build may take before it is killed and the commit counted as not building.</summary>
    public TimeSpan BuildTimeout() => TimeSpan.FromSeconds(BuildTimeoutSeconds ?? DefaultBuildTimeoutSeconds(Kernel is not null));

    /// <summary>3 h for a kernel, 1 h for any other project.</summary>
    public static double DefaultBuildTimeoutSeconds(bool kernel) => kernel ? 3 * 3600 : 3600;
}

/// <summary>The kernel-mode inputs of a job.</summary>
public sealed record KernelSpec
{
    public required string Config { get; init; }
    public required string Repro { get; init; }
    public string? Compiler { get; init; }
    public string? Compilers { get; init; }
    public bool Ccache { get; init; }
    public int Vms { get; init; } = 1;
    public int VmMemoryMb { get; init; } = 512;
    public double BootTimeoutSeconds { get; init; } = 120;
    public string? OldestRelease { get; init; }

    /// <summary><c>--accel</c>: auto (probe KVM, fall back to TCG), kvm or tcg.</summary>
    public Machines.AccelMode Accel { get; init; } = Machines.AccelMode.Auto;

    /// <summary><c>--qemu</c>: the QEMU program (a name looked up on PATH, or a full path); null: qemu-system-x86_64.</summary>
    public string? Qemu { get; init; }
}
