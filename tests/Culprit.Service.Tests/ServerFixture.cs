namespace Culprit.Service.Tests;

/// <summary>One lone node without a token, shared by the tests of a class (starting a silo takes seconds).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDir _temp = new("culprit-serve");
    private ServeProcess? _serve;

    public string Url => _serve!.Url;

    public string Dir => _temp.Path;

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync() => _serve = await ServeProcess.StartAsync(_temp.Sub("work"));

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }
        _temp.Dispose();
    }
}
