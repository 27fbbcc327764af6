namespace Culprit.Kernel.Build;

/// <summary>
/// How one worker builds kernels. <paramref name="SourceDirectory"/> is the worker's checkout (the
/// caller checks each commit out there); <paramref name="OutputDirectory"/> is its <c>O=</c> directory,
/// kept between commits so that make rebuilds only what changed; <paramref name="ConfigFile"/> is the
/// user's .config.
/// </summary>
public sealed record KernelBuildOptions(string SourceDirectory, string OutputDirectory, string ConfigFile)
{
    /// <summary><c>--compiler</c> (one rule) or <c>--compilers FILE</c>; gcc by default.</summary>
    public CompilerTable Compilers { get; init; } = CompilerTable.Default;

    /// <summary><c>--ccache</c>: compile through ccache.</summary>
    public bool Ccache { get; init; }

    /// <summary>make -j; all processors by default.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(3);

    /// <summary>
    /// Where built images are kept (<see cref="KeptImages"/>), one folder per signature
    /// (<c>DIR/SIGNATURE/bzImage</c>), so that the next build in the same O= cannot overwrite an image
    /// a VM still boots, and a commit built once is not built again by any worker keeping images in
    /// the same folder. Jobs give the machine's folder; default: the worker's own, next to the output
    /// directory, <c>OUT.images</c>.
    /// </summary>
    public string? ImageDirectory { get; init; }

    /// <summary>The size past which the least recently used kept images are removed.</summary>
    public long ImagesLimitBytes { get; init; } = KeptImages.DefaultLimitBytes;

    /// <summary>The PATH to find make, the compiler and the other tools on; the process's PATH by default.</summary>
    public string? SearchPath { get; init; }

    /// <summary>
    /// Where an empty O= directory starts from: another worker's last finished build, copied and made
    /// right for this checkout, so that a job's second worker does not build the whole kernel again.
    /// </summary>
    public BuildDirectorySeed? Seed { get; init; }

    /// <summary>Called with every line make prints (progress display, debugging).</summary>
    public Action<string>? OnOutput { get; init; }
}
