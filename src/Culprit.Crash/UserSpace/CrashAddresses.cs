using System.Globalization;

namespace Culprit.Crash.UserSpace;

/// <summary>What a crash address says: a null dereference (first page) or one of the addresses asserts crash on.</summary>
internal static class CrashAddresses
{
    private static readonly ulong[] AssertAddresses = [0xbbadbeef, 0xfbadbeef, 0x1f75b7dd, 0x977537dd, 0x9f7537dd];

    /// <summary>The address as a number; 0 when it is not hexadecimal (as ClusterFuzz treats it).</summary>
    public static ulong ToInteger(string address)
    {
        var s = address.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            s = s[2..];
        s = s.TrimStart('0');
        if (s.Length == 0)
            return 0;
        return ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) ? v : (s.Length > 16 && s.All(char.IsAsciiHexDigit) ? ulong.MaxValue : 0);
    }

    public static bool IsNullDereference(ulong address) => address < 0x1000;

    public static bool IsAssertAddress(ulong address) => Array.IndexOf(AssertAddresses, address) >= 0;
}
