namespace Culprit.TestSupport;

public static class RepositoryRoot
{
    /// <summary>The Culprit checkout these tests run from (the folder holding Culprit.slnx).</summary>
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Culprit.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Culprit.slnx above {AppContext.BaseDirectory}");
    }
}
