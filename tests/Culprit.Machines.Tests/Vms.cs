using Culprit.Crash;

namespace Culprit.Machines.Tests;

/// <summary>Helpers shared by the tests that boot real VMs.</summary>
internal static class Vms
{
    /// <summary>Short enough that a broken test fails fast, long enough for a loaded 2-core machine under TCG.</summary>
    public static readonly VmOptions Options = new()
    {
        MemoryMb = 256,
        BootTimeout = TimeSpan.FromSeconds(90),
        RunTimeout = TimeSpan.FromSeconds(60),
    };

    public static readonly Func<TextReader, CrashReport?> Parser = LinuxCrashParser.Parse;

    public static async Task<string> InitramfsAsync(TempDirectory dir, string reproName, string reproText)
    {
        var source = dir.Write(reproName, reproText);
        var repro = await ReproducerPreparer.PrepareAsync(source, dir.File("work"));
        return await new InitramfsBuilder().BuildAsync(repro, dir.File($"{reproName}.cpio.gz"));
    }

    /// <summary>Process ids of QEMUs whose command line mentions <paramref name="path"/>.</summary>
    public static IReadOnlyList<int> QemusUsing(string path)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains("qemu-system", StringComparison.Ordinal) && cmdline.Contains(path, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
