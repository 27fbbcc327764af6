namespace Culprit.Crash.UserSpace;

/// <summary>What the line rules have found so far: ClusterFuzz's crash fields while they are being built.</summary>
internal sealed class ParseState
{
    public const int MaxStateFrames = 3;

    /// <summary>Frames kept for stack-overflow cycle detection; enough for any cycle ClusterFuzz looks for.</summary>
    public const int MaxRawFrames = 512;

    public string CrashType = "";
    public string CrashAddress = "";
    public string CrashState = "";
    public int FrameCount;
    public readonly List<string> RawFrames = [];
    public string? ProcessName;
    public bool ProcessDied;
    public bool FoundJavaException;
    public bool FoundBadCastEnd;
    public string CheckFailureSourceFile = "";
    public bool FatalErrorOccurred;
    public bool FoundGoCrash;
    public bool FoundPythonCrash;

    /// <summary>Where in the log the current crash's report starts (-1 before any crash type).</summary>
    public long ReportStart = -1;

    public void Reset()
    {
        CrashAddress = "";
        CrashState = "";
        FrameCount = 0;
    }

    /// <summary>Higher-ranked types are not replaced by lower-ranked ones.</summary>
    private static int Rank(string type) => type switch
    {
        "V8 sandbox violation" => 2,
        "Timeout" => 1,
        _ => 0,
    };

    public void SetType(string? type)
    {
        if (type is not null && Rank(type) >= Rank(CrashType))
            CrashType = type;
    }
}
