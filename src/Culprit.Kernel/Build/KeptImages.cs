using System.Security.Cryptography;
using System.Text;

namespace Culprit.Kernel.Build;

/// <summary>
/// A machine's kept kernel images, shared by every worker and process building there (a service
/// node's job workers, the CLI's jobs of one store): <c>DIR/SIGNATURE/bzImage</c> and its effective
/// <c>config</c>, and <c>DIR/builds/KEY</c> naming the signature (and the files the build read) of one
/// commit built with one config and compiler (<see cref="BuildKey"/>), so that a commit any worker here
/// built boots again without a build. Files are written aside and renamed: two workers keeping the
/// same image, or reading one while it is kept, never see half a file. The images are bounded in size:
/// past <see cref="LimitBytes"/> the least recently used go (a use is a keep, a find or a boot), but
/// never one used within <see cref="InUse"/>, which a running job may still boot.
/// </summary>
public sealed class KeptImages(string root, long limitBytes = KeptImages.DefaultLimitBytes)
{
    /// <summary>About 1500 syzbot-sized images (bzImage of ~13 MB and its config).</summary>
    public const long DefaultLimitBytes = 20L << 30;

    /// <summary>An image used this recently is never removed: a job's retest or verification boots its commit's image again within hours at most, and each boot counts as a use.</summary>
    public static readonly TimeSpan InUse = TimeSpan.FromHours(1);

    private const string BuildsDir = "builds";

    public string Root { get; } = Path.GetFullPath(root);

    public long LimitBytes { get; } = limitBytes;

    /// <summary>
    /// What decides a build's image besides the reproducible environment: the commit, the compiler
    /// (as named and as <c>--version</c> describes it) and the config as given to make.
    /// </summary>
    public static string BuildKey(string commit, string compiler, string? compilerDescription, string configForBuild) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{commit}\0{compiler}\0{compilerDescription}\0{configForBuild}")));

    /// <summary>The kept build under <paramref name="key"/>, or null when none is kept (or its image was removed since).</summary>
    public KeptBuild? Find(string key)
    {
        var entry = Path.Combine(Root, BuildsDir, key);
        string[] fields;
        try
        {
            fields = File.ReadAllText(entry).Split('\0');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var signature = fields[0];
        var image = ImagePath(signature);
        if (!IsSignature(signature) || !File.Exists(image))
        {
            return null;
        }
        Used(image);
        return new KeptBuild(signature, image, fields[1..].Where(f => f.Length > 0).ToList());
    }

    /// <summary>
    /// Keeps a built image (and its effective config) under its signature, and the build under
    /// <paramref name="key"/>; returns the kept image's path. Then removes what is past the size bound.
    /// </summary>
    public string Keep(string key, string signature, string image, string config, IReadOnlyList<string> inputs)
    {
        if (!IsSignature(signature))
        {
            throw new ArgumentException($"not a kernel signature: {signature}", nameof(signature));
        }
        var dir = Path.Combine(Root, signature);
        var kept = Path.Combine(dir, "bzImage");
        Directory.CreateDirectory(dir);
        // Used first: a trim by another process skips a folder being filled.
        Directory.SetLastWriteTimeUtc(dir, DateTime.UtcNow);
        CopyAside(image, kept);
        CopyAside(config, Path.Combine(dir, "config"));
        Directory.CreateDirectory(Path.Combine(Root, BuildsDir));
        WriteAside(Path.Combine(Root, BuildsDir, key), Encoding.UTF8.GetBytes(string.Join('\0', [signature, .. inputs])));
        Trim(DateTime.UtcNow);
        return kept;
    }

    /// <summary>A kept image was booted (or found): it counts as recently used.</summary>
    public void Used(string imagePath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(imagePath))!;
        if (Path.GetDirectoryName(dir) == Root && IsSignature(Path.GetFileName(dir)))
        {
            try
            {
                Directory.SetLastWriteTimeUtc(dir, DateTime.UtcNow);
            }
            catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException)
            {
                // Removed meanwhile: nothing to mark.
            }
        }
    }

    /// <summary>
    /// Removes least recently used images until the kept ones fit in <see cref="LimitBytes"/>, never one
    /// used within <see cref="InUse"/> of <paramref name="now"/>; build entries naming a removed image go with it.
    /// </summary>
    public void Trim(DateTime now)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }
        var images = Directory.EnumerateDirectories(Root)
            .Where(d => IsSignature(Path.GetFileName(d)))
            .Select(d => (Dir: d, Used: Directory.GetLastWriteTimeUtc(d), Bytes: SizeOf(d)))
            .OrderBy(i => i.Used)
            .ToList();
        var total = images.Sum(i => i.Bytes);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            if (total <= LimitBytes || now - image.Used < InUse)
            {
                break;
            }
            try
            {
                Directory.Delete(image.Dir, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Another process trimmed it first.
            }
            total -= image.Bytes;
            removed.Add(Path.GetFileName(image.Dir));
        }
        if (removed.Count > 0)
        {
            RemoveEntriesOf(removed);
        }
    }

    private void RemoveEntriesOf(HashSet<string> signatures)
    {
        var builds = Path.Combine(Root, BuildsDir);
        if (!Directory.Exists(builds))
        {
            return;
        }
        foreach (var entry in Directory.EnumerateFiles(builds))
        {
            try
            {
                var text = File.ReadAllText(entry);
                var end = text.IndexOf('\0');
                if (signatures.Contains(end < 0 ? text : text[..end]))
                {
                    File.Delete(entry);
                }
            }
            catch (FileNotFoundException)
            {
            }
        }
    }

    private string ImagePath(string signature) => Path.Combine(Root, signature, "bzImage");

    private static long SizeOf(string dir)
    {
        try
        {
            return new DirectoryInfo(dir).EnumerateFiles().Sum(f => f.Length);
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    private static bool IsSignature(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);

    // Copy then rename: another worker with the same signature may be keeping the same file.
    private static void CopyAside(string from, string to)
    {
        if (File.Exists(to))
        {
            return;
        }
        var temp = Temporary(to);
        File.Copy(from, temp);
        File.Move(temp, to, overwrite: true);
    }

    private static void WriteAside(string path, byte[] content)
    {
        var temp = Temporary(path);
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    private static string Temporary(string path) => $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
}

/// <summary>A kept build: its image's signature and path, and the source files it read (tree-relative).</summary>
public sealed record KeptBuild(string Signature, string Image, IReadOnlyList<string> Inputs);
