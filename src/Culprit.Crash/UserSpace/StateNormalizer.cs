using System.Text;
using System.Text.RegularExpressions;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// The last step of ClusterFuzz's parse: a stack overflow's state becomes its repeating cycle;
/// addresses and long numbers in the state become <c>ADDRESS</c> and <c>NUMBER</c>; lines are cut
/// to 80 characters; access sizes above 16 bytes become <c>{*}</c>; unknown crashes near address 0
/// become null dereferences.
/// </summary>
internal static class StateNormalizer
{
    public const int LineLengthCap = 80;
    private const int MaxCycleLength = 10;
    private const int RepeatedCycleCount = 3;

    private const RegexOptions Opts = RegexOptions.CultureInvariant | RegexOptions.Compiled;
    private static readonly Regex TrailingOffset = new(@"\+0x[0-9a-fA-F]+\n", Opts);
    private static readonly Regex Address = new(@"0x[a-fA-F0-9]{4,}[U]*", Opts);
    private static readonly Regex Number = new(@"(?<![:0-9.])(?:[0-9.]{4,}|(?<=[@#])[0-9]+)(?![A-Za-z0-9.])", Opts);
    private static readonly Regex AccessSize = new(@"^([^0-9]+)([0-9]+)", Opts | RegexOptions.Singleline);

    public static void Finish(ParseState st, UserSpaceOptions options)
    {
        if (st.CrashType == "Stack-overflow")
            UseCycle(st);

        st.CrashState = new string(st.CrashState.Where(IsPrintable).ToArray());
        st.CrashState = st.CrashState.Replace("JNI DETECTED ERROR IN APPLICATION:", "JNI:", StringComparison.Ordinal);
        if (st.CrashType != "V8 correctness failure")
            st.CrashState = AddressesAndNumbers(st.CrashState);
        var capped = new StringBuilder();
        foreach (var line in SplitLines(st.CrashState))
            capped.Append(line.StartsWith("Bad-cast", StringComparison.Ordinal) || line.Length <= LineLengthCap ? line : line[..LineLengthCap]).Append('\n');
        st.CrashState = capped.ToString();

        if (st.CrashType.Length > 0 && st.CrashState.Trim().Length == 0)
            st.CrashState = st.ProcessName ?? options.FuzzTarget ?? "NULL";
        if (options.FuzzTarget is { } target && st.CrashType is "Out-of-memory" or "Timeout" or "Overwrites-const-input")
            st.CrashState = target;

        if (AccessSize.Match(st.CrashType) is { Success: true } size)
        {
            string n = size.Groups[2].Value;
            bool big = n.TrimStart('0').Length > 2 || (int.TryParse(n, out var v) && v > 16);
            string number = big ? "{*}" : int.Parse(n, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
            st.CrashType = st.CrashType[..size.Groups[1].Length] + number + st.CrashType[size.Length..];
        }
        if (st.CrashAddress.StartsWith("0x0000", StringComparison.Ordinal) && st.CrashAddress.Length == 18)
            st.CrashAddress = "0x" + st.CrashAddress["0x0000".Length..];
        if (st.CrashAddress.Length > 0 && st.CrashType.StartsWith("UNKNOWN", StringComparison.Ordinal)
            && CrashAddresses.IsNullDereference(CrashAddresses.ToInteger(st.CrashAddress)))
            st.CrashType = st.CrashType.Replace("UNKNOWN", "Null-dereference", StringComparison.Ordinal);
    }

    /// <summary>The state lines: at most three, without the trailing newline ClusterFuzz keeps.</summary>
    public static IReadOnlyList<string> Lines(string crashState) => SplitLines(crashState).ToList();

    public static string AddressesAndNumbers(string state)
    {
        state = TrailingOffset.Replace(state, "\n", 16);
        state = Address.Replace(state, "ADDRESS");
        return Number.Replace(state, "NUMBER");
    }

    private static IEnumerable<string> SplitLines(string s)
    {
        if (s.Length == 0)
            yield break;
        var parts = s.Split('\n');
        int n = parts.Length;
        if (s.EndsWith('\n'))
            n--;
        for (int i = 0; i < n; i++)
            yield return parts[i];
    }

    // string.printable: ASCII letters, digits, punctuation and whitespace.
    private static bool IsPrintable(char c) => c is >= ' ' and <= '~' or '\t' or '\n' or '\r' or '\x0b' or '\x0c';

    /// <summary>The first cycle of up to ten frames that repeats three times becomes the state.</summary>
    private static void UseCycle(ParseState st)
    {
        var frames = st.RawFrames;
        int count = frames.Count;
        for (int start = 0; start < count; start++)
        {
            for (int length = 1; length <= MaxCycleLength; length++)
            {
                if (start + RepeatedCycleCount * length >= count)
                    continue;
                bool equal = true;
                for (int rep = 1; rep < RepeatedCycleCount && equal; rep++)
                {
                    for (int k = 0; k < length && equal; k++)
                        equal = frames[start + k] == frames[start + rep * length + k];
                }
                if (equal)
                {
                    st.CrashState = string.Join("\n", frames.Skip(start).Take(Math.Min(length, ParseState.MaxStateFrames))) + "\n";
                    return;
                }
            }
        }
    }
}
