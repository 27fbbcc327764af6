using Culprit.Core.Domain;
using Culprit.Core.Testing;
using Culprit.Crash;
using Culprit.Git;
using Culprit.Kernel.Build;
using Culprit.Machines;

namespace Culprit.Jobs.Testers;

/// <summary>
/// Kernel mode: checks each commit out in the job's worktree, builds bzImage in an O= directory
/// that stays between commits, and boots every run in a fresh QEMU VM with Culprit's initramfs
/// (busybox + the reproducer). Runs go through a pool of <c>--vms</c> VMs.
/// </summary>
public sealed class KernelTester : ICommitTester
{
    private readonly GitRepository _repo;
    private readonly string _worktree;
    private readonly string _dir;
    private readonly KernelBuilder _builder;
    private readonly VmPool _pool;
    private readonly string _initramfs;
    private readonly string _start;

    /// <summary>The first worker's tester owns the VM pool; the others share it.</summary>
    private readonly bool _ownsPool;

    /// <summary>The worktree being made (another worker's, while the first one builds); done for the first worker's.</summary>
    private readonly Task _worktreeReady;
    private int _runCounter;

    private KernelTester(GitRepository repo, string worktree, string dir, KernelBuilder builder, VmPool pool, string initramfs, string start, bool ownsPool, Task? worktreeReady = null)
    {
        _worktreeReady = worktreeReady ?? Task.CompletedTask;
        _start = start;
        _ownsPool = ownsPool;
        _repo = repo;
        _worktree = worktree;
        _dir = dir;
        _builder = builder;
        _pool = pool;
        _initramfs = initramfs;
    }

    public int ParallelRuns => _pool.Size;

    /// <summary>Images are kept by signature outside the O= directory: an earlier build stays bootable.</summary>
    public bool KeepsBuilds => true;

    public string? SetupNote => _pool.AcceleratorNote;

    /// <summary>
    /// Checks the setup (config, tools, reproducer, QEMU and its accelerator, busybox) before anything
    /// is built. Images are kept in <paramref name="imagesDir"/>, the machine's (shared by every job and
    /// worker there: a commit any of them built boots again without a build), or per worker when null.
    /// </summary>
    public static async Task<KernelTester> CreateAsync(JobSpec spec, GitRepository repo, string dir, string? imagesDir, CancellationToken ct)
    {
        var kernel = spec.Kernel ?? throw new JobException("not a kernel job");
        var options = new KernelBuildOptions(Path.Combine(dir, "worktree"), Path.Combine(dir, "build"), kernel.Config)
        {
            Compilers = kernel.Compilers is { } table ? CompilerTable.Load(table)
                : kernel.Compiler is { } cc ? CompilerTable.Single(CompilerSpec.Parse(cc))
                : CompilerTable.Default,
            Ccache = kernel.Ccache,
            Timeout = spec.BuildTimeout(),
            Jobs = MakeJobs(Environment.ProcessorCount, spec.Workers ?? 1),
            ImageDirectory = imagesDir,
        };
        // A new job's empty O= directory starts from the newest build another job left here.
        options = options with { Seed = await OtherJobsBuilds.SeedAsync(repo, dir, options.SourceDirectory, ct) };
        var builder = new KernelBuilder(options);
        builder.CheckSetup();
        var vmOptions = new VmOptions
        {
            MemoryMb = kernel.VmMemoryMb,
            BootTimeout = TimeSpan.FromSeconds(kernel.BootTimeoutSeconds),
            RunTimeout = TimeSpan.FromSeconds(spec.RunTimeoutSeconds),
            Vms = Math.Max(1, kernel.Vms),
            Accel = kernel.Accel,
            Qemu = kernel.Qemu ?? Machines.HostTools.DefaultQemu,
        };
        // The accelerator probe (up to 15 s where KVM answers nothing) and the checkout of the whole
        // tree (about 12 s for Linux) wait on different things: they go side by side, and both are
        // done before anything is built.
        var probing = VmPool.CreateAsync(vmOptions, LinuxCrashParser.Parse, ct);
        using var stopCheckout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var checkout = repo.KeepOrAddWorktreeAsync(options.SourceDirectory, spec.Bad, stopCheckout.Token);
        VmPool? pool = null;
        try
        {
            pool = await probing;
            var reproducer = await ReproducerPreparer.PrepareAsync(kernel.Repro, dir, ct);
            var initramfs = await new InitramfsBuilder().BuildAsync(reproducer, Path.Combine(dir, "initramfs.cpio.gz"), ct);
            await checkout;
            return new KernelTester(repo, options.SourceDirectory, dir, builder, pool, initramfs, spec.Bad, ownsPool: true);
        }
        catch
        {
            pool?.Dispose();
            // A failed setup reports at once: the checkout is stopped, not waited for.
            await stopCheckout.CancelAsync();
            await RemoveUnusedWorktreeAsync(repo, checkout, options.SourceDirectory);
            throw;
        }
    }

    /// <summary>A setup that failed leaves no worktree behind: the one its checkout made (or kept, or half made) is removed once that checkout has ended.</summary>
    private static async Task RemoveUnusedWorktreeAsync(GitRepository repo, Task checkout, string worktree)
    {
        try
        {
            await checkout;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Its own failure is not the one to report; whatever it left is removed below.
        }
        await repo.RemoveWorktreeAsync(worktree, CancellationToken.None);
    }

    /// <summary>
    /// make -j for each of <paramref name="workers"/> builds running at once: their share of the
    /// processors, over-subscribed by half. A kernel build ends in long serial steps (vmlinux links,
    /// kallsyms passes, compressing bzImage) during which a build held to its exact share leaves
    /// processors idle that another worker's compiles could use; compiles waiting for a processor cost little.
    /// One worker alone takes every processor, as before.
    /// </summary>
    public static int MakeJobs(int processors, int workers)
    {
        processors = Math.Max(1, processors);
        return workers <= 1 ? processors : Math.Min(processors, (int)Math.Ceiling(1.5 * processors / workers));
    }

    /// <summary>
    /// Worker N builds in <c>worker-N/</c> (its worktree, O= directory and run logs) and boots through
    /// the same VM pool; its empty O= directory starts from a copy of the first worker's last build.
    /// </summary>
    public Task<ICommitTester> ForWorkerAsync(int worker, CancellationToken ct)
    {
        var dir = Path.Combine(_dir, $"worker-{worker}");
        Directory.CreateDirectory(dir);
        var options = _builder.Options with
        {
            SourceDirectory = Path.Combine(dir, "worktree"),
            OutputDirectory = Path.Combine(dir, "build"),
            // Its first build starts from a copy of the first worker's, not from nothing.
            Seed = new BuildDirectorySeed(_builder, ChangedFiles(_repo),
                token => GitRepository.RefreshIndexAsync(Path.Combine(dir, "worktree"), token)),
        };
        var builder = new KernelBuilder(options);
        builder.CheckSetup();
        // A checkout of the whole tree (12 s for Linux on 2 cores): made while the first worker starts
        // building, not before the job starts; this worker waits for it at its first checkout.
        var worktreeReady = Task.Run(() => _repo.KeepOrAddWorktreeAsync(options.SourceDirectory, _start, ct), ct);
        return Task.FromResult<ICommitTester>(new KernelTester(_repo, options.SourceDirectory, dir, builder, _pool, _initramfs, _start, ownsPool: false, worktreeReady));
    }

    /// <summary>The files whose content differs between two commits (renames as a delete and an add), as a seeded O= directory needs them.</summary>
    public static Func<string, string, CancellationToken, Task<IReadOnlyList<string>>> ChangedFiles(GitRepository repo) =>
        async (from, to, ct) => (await repo.DiffNamesAsync(from, to, ct)).Select(f => f.Path).ToList();

    public async Task<string?> PrepareAsync(string commit, CancellationToken ct)
    {
        await _worktreeReady.WaitAsync(ct);
        await GitRepository.CheckoutAsync(_worktree, commit, ct);
        return await _builder.PrepareAsync(commit, ct);
    }

    public Task<BuildResult?> KeptBuildAsync(string commit, CancellationToken ct) => _builder.FindKeptAsync(commit, ct);

    public Task<BuildResult> BuildAsync(string commit, CancellationToken ct) => _builder.BuildAsync(commit, ct);

    public async Task<RunOutcome> RunAsync(BuildResult build, int runIndex, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _runCounter);
        var console = Path.Combine(_dir, "runs", $"{build.Commit[..Math.Min(12, build.Commit.Length)]}-{n}", "console.log");
        Directory.CreateDirectory(Path.GetDirectoryName(console)!);
        var image = build.Artifact ?? throw new JobException($"no kernel image for {build.Commit}");
        // A boot is a use: the kept images' size bound never removes an image a job is still booting.
        _builder.Images.Used(image);
        var run = await _pool.RunAsync(image, _initramfs, console, ct);
        return run.Outcome;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsPool)
        {
            _pool.Dispose();
        }
        try
        {
            await _worktreeReady;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never made (the job stopped first, or git failed, which its first checkout reported): removed below all the same.
        }
        await _repo.RemoveWorktreeAsync(_worktree, CancellationToken.None);
    }
}
