using Culprit.Core.Domain;

namespace Culprit.Cli;

/// <summary>How test output is searched for kernel crash reports.</summary>
internal static class CrashParsing
{
    public static RunOutcome? Parse(string output) => null;
}
