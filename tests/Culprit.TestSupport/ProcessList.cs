using System.Text;

namespace Culprit.TestSupport;

/// <summary>What a test needs to see in /proc: which processes run a given command line, and zombie children of the test process.</summary>
public static class ProcessList
{
    /// <summary>Pids of live processes whose command line is exactly <paramref name="argv"/>.</summary>
    public static List<int> Running(params string[] argv)
    {
        var wanted = string.Join('\0', argv) + "\0";
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                if (Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))) == wanted && State(dir) != 'Z')
                {
                    pids.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }

    /// <summary>Pids of zombie children of this process whose command name is <paramref name="comm"/>.</summary>
    public static List<int> ZombieChildren(string comm)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var rest = stat[(close + 2)..].Split(' ');
                if (name == comm && rest[0] == "Z" && rest[1] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    pids.Add(int.Parse(Path.GetFileName(dir), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or FormatException)
            {
            }
        }
        return pids;
    }

    /// <summary>A <c>sleep</c> duration no other test uses (300 s and a random fraction), so its processes can be found by command line.</summary>
    public static string UniqueSleep() =>
        (300 + Random.Shared.Next(1, 100_000) / 1000.0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    private static char State(string dir)
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        return stat[stat.LastIndexOf(')') + 2];
    }
}
