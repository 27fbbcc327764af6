namespace Culprit.Crash.UserSpace;

/// <summary>
/// The switches ClusterFuzz takes from its job environment. Culprit's defaults differ in one place:
/// out-of-memory and timeout reports are named (a test that ran out of memory did fail), where
/// ClusterFuzz needs <c>REPORT_OOMS_AND_HANGS</c> for that.
/// </summary>
public sealed record UserSpaceOptions
{
    /// <summary>Name <c>Out-of-memory</c> and <c>Timeout</c> reports; when off, a log with an OOM line holds no crash.</summary>
    public bool DetectOomsAndHangs { get; init; } = true;

    /// <summary>Recognise V8's <c># Runtime error in</c> reports (<c>RUNTIME_ASSERT</c>).</summary>
    public bool DetectV8RuntimeErrors { get; init; }

    /// <summary>The fuzz target's name: the state of OOMs, timeouts and const-input overwrites, and of stateless crashes.</summary>
    public string? FuzzTarget { get; init; }

    public bool AssertsHaveSecurityImplication { get; init; } = true;

    public bool ChecksHaveSecurityImplication { get; init; }

    /// <summary>Recognise UBSan runtime errors (ClusterFuzz turns this off for <c>halt_on_error=0</c> builds).</summary>
    public bool IncludeUbsan { get; init; } = true;

    public static UserSpaceOptions Default { get; } = new();

    /// <summary>
    /// The options ClusterFuzz would use under these environment variables (e.g. <c>REPORT_OOMS_AND_HANGS</c>,
    /// <c>REDZONE</c>, <c>FUZZ_TARGET</c>); unset variables take ClusterFuzz's defaults, not Culprit's.
    /// </summary>
    public static UserSpaceOptions FromClusterFuzzEnvironment(IReadOnlyDictionary<string, string> env)
    {
        string? Get(string name) => env.TryGetValue(name, out var v) ? v : null;
        static bool IsTrue(string? v) => v is not null && (v.Equals("True", StringComparison.OrdinalIgnoreCase) || v == "1");
        int redzone = int.TryParse(Get("REDZONE"), out var r) ? r : 0;
        bool force = IsTrue(Get("FORCE"));
        return new UserSpaceOptions
        {
            DetectOomsAndHangs = IsTrue(Get("REPORT_OOMS_AND_HANGS")) && (force || redzone == 0 || redzone <= 64),
            DetectV8RuntimeErrors = IsTrue(Get("DETECT_V8_RUNTIME_ERRORS")) || Get("TASK_NAME") == "analyze",
            FuzzTarget = string.IsNullOrEmpty(Get("FUZZ_TARGET")) ? null : Get("FUZZ_TARGET"),
            AssertsHaveSecurityImplication = Get("ASSERTS_HAVE_SECURITY_IMPLICATION") is not { } a || IsTrue(a),
            ChecksHaveSecurityImplication = IsTrue(Get("CHECKS_HAVE_SECURITY_IMPLICATION")),
            IncludeUbsan = !(Get("UBSAN_OPTIONS") ?? "").Contains("halt_on_error=0", StringComparison.Ordinal),
        };
    }
}
