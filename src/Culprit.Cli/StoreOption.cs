using System.CommandLine;
using Culprit.Store;

namespace Culprit.Cli;

/// <summary>The <c>--store FILE</c> option every job command takes, and where job work directories go.</summary>
internal static class StoreOption
{
    public static Option<string> Create() => new("--store")
    {
        Description = "SQLite job store (default ~/.local/share/culprit/culprit.db)",
        DefaultValueFactory = _ => JobStore.DefaultPath,
    };

    public static string WorkRoot(JobStore store) => Path.Combine(Path.GetDirectoryName(store.FilePath)!, "work");
}
