using Culprit.Jobs.Reports;

namespace Culprit.Jobs.Tests.Reports;

/// <summary>Jobs and results built in memory, shaped like the seed log's io_uring bisection.</summary>
internal static class SampleJobs
{
    public const string Bad = "f5e2a7c9b1d04e3f8a6b2c1d0e9f8a7b6c5d4e3f";
    public const string Good = "c2f2eb7d2c1cdc37fa9633bae96f381d33ee7a14";
    public const string CulpritHash = "b41e98524e424d104aa7851d54fd65820759875a";
    public const string Parent = "48dce13f43d3c49f7da64b38d5f50683cb998430";
    public const string Title = "INFO: trying to register non-static key in io_cqring_ev_posted";
    public const string Report = "INFO: trying to register non-static key.\nthe code is fine but needs lockdep annotation.\nCall Trace:\n io_cqring_ev_posted+0x91/0x180 fs/io_uring.c:1097\n";

    public static JobSpec Spec(Direction direction = Direction.Cause) => new()
    {
        Repo = "/src/linux",
        Bad = Bad,
        BadRevision = "next-20200310",
        Good = Good,
        GoodRevision = "v5.6-rc4",
        Direction = direction,
        Build = "make",
        Test = "./repro.sh",
    };

    public static TestedCommit Tested(string commit, string verdict, int crashed = 0, int ok = 0, int infra = 0, int timedOut = 0,
        double build = 300, double test = 240, string phase = "bisect")
    {
        var runs = Enumerable.Repeat(new TestedRun("crashed", Title), crashed)
            .Concat(Enumerable.Repeat(new TestedRun("timed-out", null), timedOut))
            .Concat(Enumerable.Repeat(new TestedRun("ok", null), ok))
            .Concat(Enumerable.Repeat(new TestedRun("infra-error", null, Detail: "vm lost"), infra))
            .ToList();
        return new TestedCommit(commit, verdict, runs, build, test, Phase: phase);
    }

    public static readonly JobStats SeedStats = new(15, 15, 150, 11418.966, 5737.43, 5592.933);

    public static JobResult Found(Verification? verification = null, string direction = "cause") => new()
    {
        Job = "3f9a0c12",
        Result = "found",
        Direction = direction,
        Bad = Bad,
        Good = Good,
        Culprit = new CulpritInfo(CulpritHash, "io_uring: add per-task callback handler", "Jens Axboe <axboe@kernel.dk>", "2020-02-17T09:52:41.0000000-07:00"),
        CrashTitle = Title,
        Report = Report,
        Signature = "e00511cc84d1c8fd38ede9aa7816a80fc55eb5630aad0d0d1804268ce6a43676",
        ParentSignature = "48dce13f43d3c49f7da64b38d5f50683cb99843010e41c94c51e04cf20dea161",
        Cc = ["axboe@kernel.dk", "io-uring@vger.kernel.org", "linux-kernel@vger.kernel.org"],
        Verification = verification,
        Tested =
        [
            Tested(Bad, "bad", crashed: 10, phase: "reproduce"),
            Tested(Good, "good", ok: 10, phase: "release"),
            Tested(CulpritHash, "bad", crashed: 3, ok: 6, infra: 1, build: 600, test: 120),
            Tested(Parent, "good", ok: 10),
            .. verification is null ? Array.Empty<TestedCommit>() :
            [
                Tested(Parent, verification.ParentOk == false ? "bad" : "good", crashed: verification.ParentOk == false ? 2 : 0,
                    ok: verification.ParentOk == false ? 18 : 20, phase: "verify-parent"),
                Tested("9a9b9c9d9e9f909192939495969798999a9b9c9d", "good", ok: 10, phase: "verify-revert"),
            ],
        ],
        Stats = SeedStats,
    };

    public static JobResult Inconclusive() => new()
    {
        Job = "3f9a0c12",
        Result = "inconclusive",
        Bad = Bad,
        Good = Good,
        Candidates = [CulpritHash, Parent],
        Probabilities = new Dictionary<string, double> { [CulpritHash] = 0.6, [Parent] = 0.35 },
        Message = "There are only 'skip'ped commits left to test.",
        CrashTitle = Title,
        Report = Report,
        Tested = [Tested(Bad, "bad", crashed: 10, phase: "reproduce"), Tested(Good, "good", ok: 10, phase: "release")],
        Stats = SeedStats,
    };

    public static JobResult NotReproduced() => new()
    {
        Job = "3f9a0c12",
        Result = "not-reproduced",
        Bad = Bad,
        Good = Good,
        Message = $"the crash does not reproduce on {Bad} (0 of 10 runs crashed)",
        Tested = [Tested(Bad, "good", ok: 10, phase: "reproduce")],
        Stats = new JobStats(1, 1, 10, 540, 300, 240),
    };

    public static ReportedJob Job(JobResult? result, JobSpec? spec = null, IReadOnlyList<string>? log = null, string state = "finished") => new(
        result?.Job ?? "3f9a0c12",
        spec ?? Spec(result?.Direction == "fix" ? Direction.Fix : Direction.Cause),
        state,
        result,
        log ?? ["bisecting cause commit starting from " + Bad, "testing commit " + Bad, "all runs: crashed: " + Title],
        new DateTimeOffset(2020, 3, 10, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2020, 3, 10, 15, 10, 19, TimeSpan.Zero));

    public static readonly Verification Verified = new(true, "passed", false, null);
    public static readonly Verification ParentCrashes = new(false, "passed", true, "the culprit's parent crashes too");
}
