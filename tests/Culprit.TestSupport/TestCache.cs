namespace Culprit.TestSupport;

/// <summary>Where slow test fixtures (the imported kernel tree, O= dirs) persist between runs.</summary>
public static class TestCache
{
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable("CULPRIT_TEST_CACHE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "culprit-test");
}
