using System.Text;

namespace Culprit.Crash.UserSpace;

/// <summary>
/// How a user-space crash is titled, from ClusterFuzz's type and state only (never from addresses,
/// pids or timings, so every run of one bug gets the same title):
/// <list type="bullet">
/// <item>the type's first line; a type that is one hyphenated word (<c>Heap-buffer-overflow</c>,
/// <c>Stack-use-after-return</c>) is written in lowercase, as the sanitizers print it;</item>
/// <item>then <c>in FRAME</c> with the state's first line (<c>heap-buffer-overflow in history_add</c>,
/// <c>Null-dereference READ in nextline</c>);</item>
/// <item>for types whose state is a message rather than a frame (<c>ASSERT</c>, <c>CHECK failure</c>,
/// <c>Fatal error</c>, ...) <c>TYPE: MESSAGE</c>; a state line that already starts with the type
/// (<c>Bad-cast to B from A</c>) is the title alone; without a usable frame (<c>NULL</c>), the type alone.</item>
/// </list>
/// </summary>
public static class UserSpaceTitle
{
    public const int MaxChars = 200;

    private static readonly HashSet<string> MessageTypes = new(StringComparer.Ordinal)
    {
        "ASSERT", "CHECK failure", "DCHECK failure", "Security CHECK failure", "Security DCHECK failure",
        "Sanitizer CHECK failure", "Fatal error", "RUNTIME_ASSERT", "Missing-library", "V8 API error",
    };

    public static string Of(string crashType, IReadOnlyList<string> crashState)
    {
        string type = TypeName(crashType);
        string first = crashState.Count > 0 ? crashState[0] : "";
        string title;
        if (first.Length == 0 || first == "NULL")
            title = type;
        else if (first.StartsWith(FirstLine(crashType), StringComparison.Ordinal))
            title = first;
        else if (MessageTypes.Contains(FirstLine(crashType)))
            title = $"{type}: {first}";
        else
            title = $"{type} in {first}";
        return OneLine(title);
    }

    /// <summary>Type (all lines) and the whole state: the clustering key of the flaky strategy.</summary>
    public static string Signature(string crashType, IReadOnlyList<string> crashState) =>
        OneLine($"{crashType.Replace('\n', ' ')} in {string.Join(" / ", crashState)}", int.MaxValue);

    private static string FirstLine(string crashType)
    {
        int nl = crashType.IndexOf('\n');
        return nl < 0 ? crashType : crashType[..nl];
    }

    private static string TypeName(string crashType)
    {
        string first = FirstLine(crashType);
        bool oneHyphenatedWord = first.Contains('-') && first.All(c => char.IsAsciiLetter(c) || c == '-')
            && first.Skip(1).All(c => !char.IsAsciiLetterUpper(c));
        return oneHyphenatedWord ? first.ToLowerInvariant() : first;
    }

    private static string OneLine(string s, int max = MaxChars)
    {
        var b = new StringBuilder(Math.Min(s.Length, max));
        foreach (char c in s)
        {
            if (b.Length >= max)
                break;
            b.Append(char.IsControl(c) ? ' ' : c);
        }
        return b.ToString().Trim();
    }
}
