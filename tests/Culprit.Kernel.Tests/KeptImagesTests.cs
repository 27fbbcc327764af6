using Culprit.Kernel.Build;

namespace Culprit.Kernel.Tests;

/// <summary>The machine's kept images: found by any worker, written whole, bounded by least recent use.</summary>
public sealed class KeptImagesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"culprit-kept-{Guid.NewGuid():N}");

    public KeptImagesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Signature(int n) => n.ToString("x64");

    /// <summary>A built image and config of <paramref name="bytes"/> bytes, as a worker's O= directory holds them.</summary>
    private (string Image, string Config) Built(string worker, int bytes, byte fill = 7)
    {
        var dir = Path.Combine(_dir, worker);
        Directory.CreateDirectory(dir);
        var image = Path.Combine(dir, "bzImage");
        File.WriteAllBytes(image, Enumerable.Repeat(fill, bytes).ToArray());
        var config = Path.Combine(dir, ".config");
        File.WriteAllText(config, "CONFIG_X=y\n");
        return (image, config);
    }

    [Fact]
    public void A_build_one_worker_kept_is_found_by_another_with_its_inputs()
    {
        var root = Path.Combine(_dir, "images");
        var key = KeptImages.BuildKey("c0ffee", "gcc", "gcc 12", "CONFIG_X=y\n");
        var (image, config) = Built("w1", 100);

        var kept = new KeptImages(root).Keep(key, Signature(1), image, config, ["kernel/exit.c", "Makefile"]);
        var found = new KeptImages(root).Find(key);

        Assert.NotNull(found);
        Assert.Equal(Signature(1), found.Signature);
        Assert.Equal(kept, found.Image);
        Assert.Equal(Path.Combine(root, Signature(1), "bzImage"), kept);
        Assert.Equal(File.ReadAllBytes(image), File.ReadAllBytes(kept));
        Assert.Equal("CONFIG_X=y\n", File.ReadAllText(Path.Combine(root, Signature(1), "config")));
        Assert.Equal(["kernel/exit.c", "Makefile"], found.Inputs);
    }

    [Fact]
    public void Another_commit_config_or_compiler_is_a_build_of_its_own()
    {
        var key = KeptImages.BuildKey("c0ffee", "gcc", "gcc 12", "CONFIG_X=y\n");
        Assert.NotEqual(key, KeptImages.BuildKey("c0ffef", "gcc", "gcc 12", "CONFIG_X=y\n"));
        Assert.NotEqual(key, KeptImages.BuildKey("c0ffee", "clang", "gcc 12", "CONFIG_X=y\n"));
        Assert.NotEqual(key, KeptImages.BuildKey("c0ffee", "gcc", "gcc 13", "CONFIG_X=y\n"));
        Assert.NotEqual(key, KeptImages.BuildKey("c0ffee", "gcc", "gcc 12", "CONFIG_X=m\n"));

        var images = new KeptImages(Path.Combine(_dir, "images"));
        var (image, config) = Built("w1", 10);
        images.Keep(key, Signature(1), image, config, []);
        Assert.Null(images.Find(KeptImages.BuildKey("c0ffee", "gcc", "gcc 12", "CONFIG_X=m\n")));
    }

    [Fact]
    public void A_build_whose_image_was_removed_is_not_found()
    {
        var images = new KeptImages(Path.Combine(_dir, "images"));
        var (image, config) = Built("w1", 10);
        var kept = images.Keep("k", Signature(1), image, config, []);

        File.Delete(kept);

        Assert.Null(images.Find("k"));
    }

    [Fact]
    public async Task Workers_keeping_the_same_image_at_once_leave_one_whole_file_and_no_side_files()
    {
        var root = Path.Combine(_dir, "images");
        var builds = Enumerable.Range(0, 8).Select(w => Built($"w{w}", 1 << 20)).ToList();

        await Task.WhenAll(builds.Select((b, w) => Task.Run(() => new KeptImages(root).Keep($"key{w % 2}", Signature(5), b.Image, b.Config, []))));

        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([Path.Combine(Signature(5), "bzImage"), Path.Combine(Signature(5), "config"), Path.Combine("builds", "key0"), Path.Combine("builds", "key1")], files);
        Assert.Equal(1 << 20, new FileInfo(Path.Combine(root, Signature(5), "bzImage")).Length);
    }

    [Fact]
    public void Past_the_bound_the_least_recently_used_images_go_but_never_one_used_within_the_hour()
    {
        var root = Path.Combine(_dir, "images");
        // Each image holds 1000 bytes and an 11-byte config; the bound holds two of them.
        var images = new KeptImages(root, limitBytes: 2100);
        var now = DateTime.UtcNow;
        for (var n = 1; n <= 4; n++)
        {
            var (image, config) = Built($"w{n}", 1000, (byte)n);
            images.Keep($"key{n}", Signature(n), image, config, []);
        }
        // Last used: 1 five hours ago, 2 four hours ago, 3 half an hour ago, 4 now.
        Directory.SetLastWriteTimeUtc(Path.Combine(root, Signature(1)), now.AddHours(-5));
        Directory.SetLastWriteTimeUtc(Path.Combine(root, Signature(2)), now.AddHours(-4));
        Directory.SetLastWriteTimeUtc(Path.Combine(root, Signature(3)), now.AddMinutes(-30));

        images.Trim(now);

        Assert.False(Directory.Exists(Path.Combine(root, Signature(1))));
        Assert.False(Directory.Exists(Path.Combine(root, Signature(2))));
        Assert.Null(images.Find("key1"));
        Assert.False(File.Exists(Path.Combine(root, "builds", "key1")));
        Assert.False(File.Exists(Path.Combine(root, "builds", "key2")));
        Assert.NotNull(images.Find("key3"));
        Assert.NotNull(images.Find("key4"));
    }

    [Fact]
    public void An_image_used_recently_stays_however_far_past_the_bound()
    {
        var root = Path.Combine(_dir, "images");
        var images = new KeptImages(root, limitBytes: 10);
        var (image, config) = Built("w1", 1000);
        var kept = images.Keep("key", Signature(1), image, config, []);
        Directory.SetLastWriteTimeUtc(Path.Combine(root, Signature(1)), DateTime.UtcNow.AddHours(-3));

        // A boot marks it used: the trim that follows spares it.
        images.Used(kept);
        images.Trim(DateTime.UtcNow);

        Assert.True(File.Exists(kept));
        images.Trim(DateTime.UtcNow.AddHours(2));
        Assert.False(File.Exists(kept));
    }
}
