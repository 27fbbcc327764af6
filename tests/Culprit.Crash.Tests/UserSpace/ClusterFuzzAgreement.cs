using Culprit.Crash.UserSpace;
using Xunit;
using Xunit.Abstractions;

namespace Culprit.Crash.Tests.UserSpace;

/// <summary>
/// Scores the parser against ClusterFuzz's expected fields on a set of cases, per family (fields the
/// upstream test did not assert are not counted), prints the table and the misses, and checks the
/// issue's targets: type ≥ 95 %, state ≥ 90 %, security ≥ 95 %, no crash where ClusterFuzz reports none.
/// </summary>
public static class ClusterFuzzAgreement
{
    public static void Check(IReadOnlyList<UserSpaceCase> cases, ITestOutputHelper output)
    {
        var rows = new SortedDictionary<string, int[]>(StringComparer.Ordinal); // cases, type ok/n, state ok/n, security ok/n, address ok/n
        var misses = new List<string>();
        var phantom = new List<string>();
        foreach (var c in cases)
        {
            var got = UserSpaceCrashParser.Parse(c.Log, c.Options);
            var row = rows.TryGetValue(c.Family, out var r) ? r : rows[c.Family] = new int[9];
            row[0]++;
            string gotType = got?.CrashType ?? "";
            var gotState = got?.CrashState ?? [];
            if (c.CrashType == "" && got != null)
                phantom.Add($"{c.Name}: ClusterFuzz reports no crash, parser found [{got.CrashType}]");
            Score(row, 1, c.CrashType, gotType, $"{c.Name}: type want [{c.CrashType}] got [{gotType}]");
            Score(row, 3, c.CrashState is null ? null : string.Join(" | ", c.CrashState), string.Join(" | ", gotState),
                $"{c.Name}: state want [{(c.CrashState is null ? "" : string.Join(" | ", c.CrashState))}] got [{string.Join(" | ", gotState)}]");
            Score(row, 5, c.Security?.ToString(), (got?.Security ?? false).ToString(), $"{c.Name}: security want [{c.Security}] got [{got?.Security}]");
            Score(row, 7, c.CrashAddress, got?.CrashAddress ?? "", $"{c.Name}: address want [{c.CrashAddress}] got [{got?.CrashAddress}]");
        }

        void Score(int[] row, int at, string? want, string gotValue, string miss)
        {
            if (want is null)
                return;
            row[at + 1]++;
            if (want == gotValue)
                row[at]++;
            else
                misses.Add(miss);
        }

        var total = new int[9];
        output.WriteLine($"{"family",-14} {"cases",5} {"type",9} {"state",9} {"security",9} {"address",9}");
        foreach (var (family, row) in rows)
        {
            for (int i = 0; i < total.Length; i++)
                total[i] += row[i];
            output.WriteLine(Row(family, row));
        }
        output.WriteLine(Row("total", total));
        foreach (var m in phantom.Concat(misses))
            output.WriteLine(m);

        Assert.Empty(phantom);
        Assert.True(Pct(total[1], total[2]) >= 95, $"crash type {Pct(total[1], total[2]):F1} %");
        Assert.True(Pct(total[3], total[4]) >= 90, $"crash state {Pct(total[3], total[4]):F1} %");
        Assert.True(Pct(total[5], total[6]) >= 95, $"security {Pct(total[5], total[6]):F1} %");
    }

    private static double Pct(int ok, int n) => n == 0 ? 100 : 100.0 * ok / n;

    private static string Row(string name, int[] r) =>
        $"{name,-14} {r[0],5} {r[1],4}/{r[2],-4} {r[3],4}/{r[4],-4} {r[5],4}/{r[6],-4} {r[7],4}/{r[8],-4}";
}
