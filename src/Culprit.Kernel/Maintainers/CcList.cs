namespace Culprit.Kernel.Maintainers;

/// <summary>
/// Who to tell about a culprit commit: its author and committer, and the maintainers and lists of
/// the files it touches. <paramref name="Source"/> says where the maintainers came from
/// (<c>scripts/get_maintainer.pl</c>, <c>MAINTAINERS</c>, or <c>none</c>).
/// </summary>
public sealed record CcList(IReadOnlyList<string> Addresses, string Source)
{
    /// <summary>Addresses lower-cased, deduplicated and sorted, as the report prints them.</summary>
    public static CcList Of(IEnumerable<string> addresses, string source) =>
        new([.. addresses.Select(a => a.Trim().ToLowerInvariant()).Where(a => a.Contains('@')).Distinct().Order(StringComparer.Ordinal)], source);

    /// <summary>The report line, as syzbot prints it: <c>cc: ["a@x" "b@y"]</c>.</summary>
    public string Format() => Format(Addresses);

    public static string Format(IEnumerable<string> addresses) =>
        "cc: [" + string.Join(' ', addresses.Select(a => $"\"{a}\"")) + "]";

    public override string ToString() => Format();
}
