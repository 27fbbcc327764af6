namespace Culprit.Core.Simulation;

/// <summary>
/// A small seeded generator (SplitMix64) so that scenarios and simulated runs are the same on every
/// machine and .NET version, and can be derived from (seed, case, commit, attempt) independently of
/// the order in which threads get to them.
/// </summary>
public sealed class SimRandom(ulong seed)
{
    private ulong _state = seed;

    public static ulong Mix(params ulong[] parts)
    {
        var h = 0x9E3779B97F4A7C15UL;
        foreach (var p in parts)
        {
            h = Finalize(h ^ Finalize(p + 0x9E3779B97F4A7C15UL));
        }
        return h;
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Finalize(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int Next(int n) => (int)(NextDouble() * n);

    public bool Chance(double p) => NextDouble() < p;

    public string NextHash()
    {
        Span<char> chars = stackalloc char[40];
        for (var i = 0; i < 40; i += 16)
        {
            var v = NextULong();
            for (var j = 0; j < 16 && i + j < 40; j++)
            {
                chars[i + j] = "0123456789abcdef"[(int)(v >> (4 * j)) & 15];
            }
        }
        return new string(chars);
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
