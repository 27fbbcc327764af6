namespace Culprit.Crash.UserSpace;

/// <summary>
/// ClusterFuzz's <c>is_security_issue</c>: whether a crash of this type (and address) may be
/// exploitable. Memory corruption is; leaks, races, hangs, OOMs, explicit aborts and non-security
/// UBSan checks are not; crashes on unknown addresses are unless near null.
/// </summary>
internal static class SecurityVerdict
{
    private static readonly HashSet<string> GenericTypes = new(StringComparer.Ordinal)
    {
        "Null-dereference", "Null-dereference READ", "Null-dereference WRITE", "READ", "UNKNOWN", "UNKNOWN READ",
        "UNKNOWN WRITE", "WRITE", "Uncaught exception",
    };

    private static readonly HashSet<string> UbsanNotSecurity = new(StringComparer.Ordinal)
    {
        "Assumption-violation", "Divide-by-zero", "Float-cast-overflow", "Implicit-conversion", "Integer-overflow", "Invalid-bool-value", "Invalid-builtin-use",
        "Invalid-enum-value", "Invalid-null-argument", "Invalid-null-return", "Misaligned-address", "No-return-value",
        "Pointer-overflow", "Potential-null-reference", "Undefined-shift", "Unsigned-integer-overflow", "Unreachable code",
        "Upcast-of-null-pointer",
    };

    private static readonly HashSet<string> UbsanSecurity = new(StringComparer.Ordinal)
    {
        "Bad-cast", "Index-out-of-bounds", "Incorrect-function-pointer-type", "Non-positive-vla-bound-value", "Object-size",
    };

    private static readonly HashSet<string> GoNotSecurity = new(StringComparer.Ordinal)
    {
        "Index out of range", "Integer divide by zero", "Makeslice: len out of range", "Slice bounds out of range", "Stack overflow",
    };

    private static readonly HashSet<string> NotSecurity = new(StringComparer.Ordinal)
    {
        "Stack-overflow", "Fatal-signal", "Missing-library", "Overwrites-const-input", "ASSERT_NOT_REACHED",
        "Floating-point-exception", "RUNTIME_ASSERT", "V8 correctness failure", "Timeout", "Out-of-memory", "Unexpected-exit",
    };

    public static bool IsSecurity(string type, string address, LogFlags log, UserSpaceOptions options)
    {
        if (log.MiraclePtrProtected)
            return false;
        if (log.ManualSecurityIssue || log.NullPc || log.JniSecurityError)
            return true;
        switch (type)
        {
            case "CHECK failure":
                return options.ChecksHaveSecurityImplication;
            case "Security CHECK failure":
                return false;
            case "Security DCHECK failure" or "DCHECK failure":
                return true;
        }
        if (type is "Fatal error" or "Unreachable code" || type.EndsWith("Exception", StringComparison.Ordinal) || type.EndsWith("CHECK failure", StringComparison.Ordinal))
            return false;
        if (NotSecurity.Contains(type) && type is not ("Timeout" or "Out-of-memory" or "Unexpected-exit" or "Floating-point-exception" or "RUNTIME_ASSERT" or "V8 correctness failure"))
            return false;
        if (type.Contains("-leak", StringComparison.Ordinal) || type.Contains("Data race", StringComparison.Ordinal) || type.Contains("Lock-order-inversion", StringComparison.Ordinal))
            return false;
        if (UbsanSecurity.Contains(type))
            return true;
        if (UbsanNotSecurity.Contains(type) || GoNotSecurity.Contains(type))
            return false;
        if (type is "Floating-point-exception" or "RUNTIME_ASSERT" or "V8 correctness failure")
            return false;
        if (type == "ASSERT" || log.AssertionFailedText)
            return options.AssertsHaveSecurityImplication;
        if (type is "Timeout" or "Out-of-memory" or "Unexpected-exit")
            return false;
        if (type is "Arbitrary file open" or "Command injection" or "Wycheproof error")
            return true;
        if (type.Length == 0 || log.NonSecuritySignal)
            return false;
        if (!GenericTypes.Contains(type))
            return true;
        ulong value = CrashAddresses.ToInteger(address);
        return !CrashAddresses.IsAssertAddress(value) && !CrashAddresses.IsNullDereference(value);
    }
}
