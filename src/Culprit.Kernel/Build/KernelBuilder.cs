using System.Diagnostics;
using System.Security.Cryptography;
using Culprit.Core.Testing;
using Culprit.Processes;

namespace Culprit.Kernel.Build;

/// <summary>
/// Builds the kernel checked out in one worker's source directory: copies the config into the
/// worker's O= directory, runs <c>make olddefconfig</c>, then <c>make bzImage</c>, with everything
/// that would make two builds of the same source differ pinned down. The signature is the sha256 of
/// the image, so equal signatures mean equal kernels whatever the path or worker.
/// </summary>
public sealed class KernelBuilder
{
    /// <summary>The architecture built: the one QEMU boots (qemu-system-x86_64).</summary>
    public const string Architecture = "x86_64";

    /// <summary>The image path inside the O= directory.</summary>
    public const string ImagePath = "arch/x86/boot/bzImage";

    /// <summary>
    /// The build environment that makes images reproducible: the banner's timestamp, user, host and
    /// build number (#N, which otherwise counts builds in the O= directory) are fixed, and the
    /// locale and time zone of every tool are pinned.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReproducibleEnvironment { get; } = new Dictionary<string, string>
    {
        ["KBUILD_BUILD_TIMESTAMP"] = "Sun Jan 1 00:00:00 UTC 2023",
        ["SOURCE_DATE_EPOCH"] = "1672531200",
        ["KBUILD_BUILD_USER"] = "culprit",
        ["KBUILD_BUILD_HOST"] = "culprit",
        ["KBUILD_BUILD_VERSION"] = "1",
        ["LC_ALL"] = "C",
        ["TZ"] = "UTC",
    };

    // Inherited variables that would change what make builds, or how.
    private static readonly string[] ClearedVariables =
    [
        "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS", "KCFLAGS", "KCPPFLAGS", "KAFLAGS",
        "KBUILD_OUTPUT", "KBUILD_EXTRA_SYMBOLS", "KCONFIG_CONFIG", "CROSS_COMPILE", "ARCH", "CC", "LLVM",
        "LOCALVERSION", "KBUILD_VERBOSE",
    ];

    private readonly Dictionary<CompilerSpec, string> _descriptions = [];
    private readonly Dictionary<CompilerSpec, bool> _macroPrefixMap = [];
    private readonly List<BuildDirectorySeed> _waitingCopies = [];
    private string? _config;
    private Prepared? _prepared;

    public KernelBuilder(KernelBuildOptions options)
    {
        Options = options;
        Images = new(options.ImageDirectory ?? Path.GetFullPath(options.OutputDirectory).TrimEnd('/') + ".images", options.ImagesLimitBytes);
        options.Seed?.Register(this);
    }

    public KernelBuildOptions Options { get; }

    /// <summary>Where built images are kept (<see cref="KernelBuildOptions.ImageDirectory"/>): a build kept there is not made again.</summary>
    public KeptImages Images { get; }

    /// <summary>Held while make runs in the O= directory: another worker copies it only between builds.</summary>
    internal SemaphoreSlim OutputGate { get; } = new(1, 1);

    /// <summary>
    /// Checks what does not depend on the commit, so that a bad config or a missing tool is one
    /// clear error before anything is built: the config file, make and friends, ccache.
    /// </summary>
    public void CheckSetup()
    {
        _config ??= KernelConfigFile.Load(Options.ConfigFile);
        foreach (var tool in HostTools.BuildEssentials)
        {
            HostTools.Require(tool, Options.SearchPath);
        }
        if (Options.Ccache)
        {
            HostTools.Require("ccache", Options.SearchPath);
        }
    }

    /// <summary>
    /// Picks the compiler for the commit checked out in the source directory (from the version in its
    /// top Makefile) and returns its <c>--version</c> line for the log, or null when the compilers
    /// table has none for this version (the build then fails with that reason).
    /// </summary>
    public async Task<string?> PrepareAsync(string commit, CancellationToken cancellationToken = default)
    {
        CheckSetup();
        var version = KernelVersion.FromMakefile(Options.SourceDirectory);
        var compiler = Options.Compilers.For(version);
        string? description = null;
        if (compiler is not null && !_descriptions.TryGetValue(compiler, out description))
        {
            description = await compiler.DescribeAsync(SearchPathFor(compiler), cancellationToken);
            _descriptions[compiler] = description;
        }
        _prepared = new Prepared(commit, version, compiler, description);
        return description;
    }

    /// <summary>
    /// The checked-out commit's build when the kept images hold one made with the same config and
    /// compiler (by any worker using them), else null. No make runs.
    /// </summary>
    public async Task<BuildResult?> FindKeptAsync(string commit, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        if (_prepared?.Commit != commit)
        {
            await PrepareAsync(commit, cancellationToken);
        }
        var prepared = _prepared!;
        if (prepared.Compiler is null || Images.Find(KeyOf(prepared)) is not { } kept)
        {
            return null;
        }
        return new BuildResult(commit, true, null, prepared.Description, kept.Signature, watch.Elapsed.TotalSeconds, kept.Image, kept.Inputs, Kept: true);
    }

    /// <summary>
    /// Builds the checked-out commit, unless its build is kept already (then that one, <c>Kept</c>).
    /// A commit that does not build is a result (Ok=false, with the error lines); a missing tool or
    /// library throws <see cref="MissingToolException"/>.
    /// </summary>
    public async Task<BuildResult> BuildAsync(string commit, CancellationToken cancellationToken = default)
    {
        if (await FindKeptAsync(commit, cancellationToken) is { } found)
        {
            return found;
        }
        await OutputGate.WaitAsync(cancellationToken);
        try
        {
            return await BuildHereAsync(cancellationToken);
        }
        finally
        {
            OutputGate.Release();
        }
    }

    /// <summary>A worker whose empty O= directory starts from this one's next finished build (<see cref="BuildDirectorySeed"/>).</summary>
    internal void AddWaitingCopy(BuildDirectorySeed seed)
    {
        lock (_waitingCopies)
        {
            _waitingCopies.Add(seed);
        }
    }

    private async Task<BuildResult> BuildHereAsync(CancellationToken cancellationToken)
    {
        var prepared = _prepared!;
        var commit = prepared.Commit;
        var watch = Stopwatch.StartNew();
        string? note = null;
        if (prepared.Compiler is not { } compiler)
        {
            return Failed($"no compiler for kernel {prepared.Version} in {Options.Compilers.Source}");
        }

        var output = Path.GetFullPath(Options.OutputDirectory);
        // The O= directory holds the last build's objects for an incremental build, unless that build
        // never finished: kbuild would take its half-written objects (fresh times, the same command
        // line in their .cmd files) for up-to-date ones. Then the directory starts empty.
        var unfinished = UnfinishedMark.ForBuildIn(output);
        if (unfinished.Found && Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
            note = BuildResult.AfterUnfinishedBuild;
        }
        if (Options.Seed is { } seed && !BuildDirectorySeed.HasEntries(output))
        {
            note = await seed.FillAsync(commit, cancellationToken) ?? note;
            // Waiting for the other worker's build is not this build's time (nor its timeout's).
            watch.Restart();
        }
        Directory.CreateDirectory(output);
        unfinished.Set();
        BuildDirectoryCopy.ForgetBuilt(output);
        var configPath = Path.Combine(output, ".config");
        var previous = File.Exists(configPath) ? (Text: await File.ReadAllTextAsync(configPath, cancellationToken), Time: File.GetLastWriteTimeUtc(configPath)) : default;
        // Every commit starts from the user's config, not from the previous commit's olddefconfig
        // result: symbols a commit's Kconfig lacks must come back at the next commit that has them.
        await File.WriteAllTextAsync(configPath, KernelConfigFile.ForBuild(_config!), cancellationToken);
        var image = Path.Combine(output, ImagePath);
        if (File.Exists(image))
        {
            File.Delete(image);
        }

        var (config, configLog) = await MakeAsync(compiler, "olddefconfig", Options.Timeout - watch.Elapsed, cancellationToken);
        if (!config.Succeeded)
        {
            if (!config.TimedOut)
            {
                unfinished.Clear();
            }
            return Failed(Explain(config, configLog, "make olddefconfig"));
        }
        if (previous.Text is not null && await File.ReadAllTextAsync(configPath, cancellationToken) == previous.Text)
        {
            // Same effective config as the last build here: give .config back its old time, or
            // make would re-run syncconfig and redo work for nothing (a third of a no-op rebuild).
            File.SetLastWriteTimeUtc(configPath, previous.Time);
        }
        var (build, buildLog) = await MakeAsync(compiler, "bzImage", Options.Timeout - watch.Elapsed, cancellationToken);
        if (!build.TimedOut)
        {
            unfinished.Clear();
        }
        if (!build.Succeeded)
        {
            return Failed(Explain(build, buildLog, "make bzImage"));
        }
        if (!File.Exists(image))
        {
            return Failed($"make bzImage succeeded but left no {ImagePath}");
        }

        await BuildDirectoryCopy.RecordBuiltAsync(output, commit, cancellationToken);
        await PutCopiesAsideAsync(output, commit, cancellationToken);
        var signature = await SignatureAsync(image, cancellationToken);
        // What this build read: a later commit that touches none of it builds the same kernel.
        var inputs = BuildInputs.Collect(Options.SourceDirectory, output);
        // Kept by signature outside O=, so the next build here cannot overwrite an image a VM still
        // boots; the effective config (after olddefconfig) goes with it: reports can point at it.
        var artifact = Images.Keep(KeyOf(prepared), signature, image, configPath, inputs);
        return new BuildResult(commit, true, null, prepared.Description, signature, watch.Elapsed.TotalSeconds, artifact, inputs) { Note = note };

        BuildResult Failed(string error) =>
            new(commit, false, error, prepared.Description, null, watch.Elapsed.TotalSeconds) { Note = note };
    }

    /// <summary>Copies the finished build aside for each worker still waiting to start from it, while make is not running here.</summary>
    private async Task PutCopiesAsideAsync(string output, string commit, CancellationToken cancellationToken)
    {
        List<BuildDirectorySeed> waiting;
        lock (_waitingCopies)
        {
            waiting = [.. _waitingCopies];
        }
        foreach (var seed in waiting)
        {
            if (!await seed.StageAsync(output, commit, cancellationToken))
            {
                lock (_waitingCopies)
                {
                    _waitingCopies.Remove(seed);
                }
            }
        }
    }

    /// <summary>The sha256 (lowercase hex) of a built kernel image.</summary>
    public static async Task<string> SignatureAsync(string imagePath, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(imagePath);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private string Explain(ProcessResult result, BuildLogReader log, string what)
    {
        if (result.TimedOut)
        {
            return $"build timed out after {TimeoutText(Options.Timeout)} ({what})";
        }
        if (log.MissingTool is { } missing)
        {
            throw missing;
        }
        var summary = log.Summary;
        return summary.Length > 0 ? summary : $"{what} exited with status {result.ExitCode}";
    }

    /// <summary>The timeout as syzbot's log writes durations (Go's <c>3h0m0s</c>).</summary>
    private static string TimeoutText(TimeSpan t)
    {
        var hours = (int)t.TotalHours;
        var text = (hours > 0 ? $"{hours}h" : "") + (t.TotalMinutes >= 1 ? $"{t.Minutes}m" : "");
        return text + $"{t.Seconds + t.Milliseconds / 1000.0:0.###}s";
    }

    /// <summary>
    /// Runs make with what is left of the build's time (<paramref name="timeLeft"/>: one timeout covers
    /// the whole build). Its output is read as it arrives, whole, by a <see cref="BuildLogReader"/>
    /// (and shown through <see cref="KernelBuildOptions.OnOutput"/>); none of it is captured.
    /// </summary>
    private async Task<(ProcessResult Result, BuildLogReader Log)> MakeAsync(CompilerSpec compiler, string target, TimeSpan timeLeft, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(Options.SourceDirectory);
        var output = Path.GetFullPath(Options.OutputDirectory);
        List<string> arguments =
        [
            "-C", source, $"O={output}", $"ARCH={Architecture}", $"-j{Math.Max(1, Options.Jobs)}",
            // Set but empty: scripts/setlocalversion then appends neither -gHASH nor "+" for a git tree.
            "LOCALVERSION=",
            .. compiler.MakeVariables(Options.Ccache),
        ];
        if (Options.Ccache && await AcceptsMacroPrefixMapAsync(compiler, cancellationToken))
        {
            // ccache (with the base directory below) hands the compiler source paths relative to O=
            // (../worktree/kernel/sys.c), which kbuild's own -fmacro-prefix-map=$(srctree)/= does not
            // match: __FILE__ in every WARN and BUG would keep "../worktree/", a kernel (and crash
            // reports) other than a plain build's. Map that relative prefix away as well.
            arguments.Add($"KCPPFLAGS=-fmacro-prefix-map={Path.GetRelativePath(output, source)}/=");
        }
        arguments.Add(target);
        var environment = new Dictionary<string, string?>();
        foreach (var name in ClearedVariables)
        {
            environment[name] = null;
        }
        foreach (var (name, value) in ReproducibleEnvironment)
        {
            environment[name] = value;
        }
        environment["PATH"] = SearchPathFor(compiler);
        if (Options.Ccache)
        {
            // Paths under the base directory are hashed relative to the build directory, so workers
            // laid out alike (w1/src + w1/out, w2/src + w2/out) share cache entries.
            environment["CCACHE_BASEDIR"] = CommonAncestor(source, output);
        }
        var make = HostTools.Require("make", Options.SearchPath);
        var log = new BuildLogReader([source, output]);
        var show = Options.OnOutput;
        var spec = new ProcessSpec(make, arguments)
        {
            Environment = environment,
            Timeout = timeLeft > TimeSpan.Zero ? timeLeft : TimeSpan.FromMilliseconds(1),
            OnLine = line =>
            {
                log.Add(line);
                show?.Invoke(line);
            },
            MaxCapturedChars = 0,
        };
        return (await ProcessRunner.RunAsync(spec, cancellationToken), log);
    }

    /// <summary>Whether the compiler knows -fmacro-prefix-map (gcc 8, clang 10 and later); asked once per compiler.</summary>
    private async Task<bool> AcceptsMacroPrefixMapAsync(CompilerSpec compiler, CancellationToken cancellationToken)
    {
        if (!_macroPrefixMap.TryGetValue(compiler, out var accepts))
        {
            _macroPrefixMap[compiler] = accepts = await compiler.AcceptsAsync("-fmacro-prefix-map=a=b", SearchPathFor(compiler), cancellationToken);
        }
        return accepts;
    }

    private string SearchPathFor(CompilerSpec compiler)
    {
        var path = Options.SearchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        return compiler.ToolchainDirectory is { } dir ? $"{dir}:{path}" : path;
    }

    private string KeyOf(Prepared prepared) =>
        KeptImages.BuildKey(prepared.Commit, prepared.Compiler!.Command, prepared.Description, KernelConfigFile.ForBuild(_config!));

    private static string CommonAncestor(string a, string b)
    {
        var x = a.TrimEnd('/').Split('/');
        var y = b.TrimEnd('/').Split('/');
        var n = 0;
        while (n < x.Length && n < y.Length && x[n] == y[n])
        {
            n++;
        }
        var common = string.Join('/', x.Take(n));
        return common.Length == 0 ? "/" : common;
    }

    private sealed record Prepared(string Commit, KernelVersion Version, CompilerSpec? Compiler, string? Description);
}
