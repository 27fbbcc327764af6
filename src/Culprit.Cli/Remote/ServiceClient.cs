using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Culprit.Jobs;
using Culprit.Service.Submissions;

namespace Culprit.Cli.Remote;

/// <summary>
/// The HTTP client of a <c>culprit serve</c>: the REST API's calls, its problem details turned into
/// the one-line errors the local commands give.
/// </summary>
internal sealed class ServiceClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _server;

    public ServiceClient(string server, string? token)
    {
        if (!Uri.TryCreate(server.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--server must be an http(s) URL (got {server})");
        }
        _server = server;
        _http = new HttpClient { BaseAddress = uri, Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public async Task<string> SubmitAsync(JobSubmission submission, CancellationToken ct)
    {
        var body = new StringContent(JsonSerializer.Serialize(submission, JsonDefaults.Options), Encoding.UTF8, "application/json");
        var text = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/jobs") { Content = body }, ct);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("job").GetString() ?? throw new JobException($"server {_server} did not say the job's id");
    }

    public Task<string> GetAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);

    public Task<string> DeleteAsync(string path, CancellationToken ct) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), ct);

    /// <summary>The job's log as it is written (Server-Sent Events), each entry to <paramref name="onLine"/>, until the job ends; returns its final state.</summary>
    public async Task<string> FollowLogAsync(string id, Func<string, Task> onLine, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{Uri.EscapeDataString(id)}/log");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await CallAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await ThrowIfFailedAsync(response, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var data = new List<string>();
        string? eventName = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (eventName == "end")
                {
                    return string.Join('\n', data);
                }
                if (data.Count > 0)
                {
                    await onLine(string.Join('\n', data));
                }
                data.Clear();
                eventName = null;
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Add(line["data: ".Length..]);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
        }
        throw new JobException($"server {_server} closed the log of job {id} before the job ended");
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await CallAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        await ThrowIfFailedAsync(response, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private async Task<HttpResponseMessage> CallAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new JobException($"cannot reach server {_server}: {ex.Message}");
        }
    }

    /// <summary>A problem detail's <c>detail</c> (else its title, else the status) as the error's one line.</summary>
    private async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(ct);
        string? detail = null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            detail = doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString()
                : doc.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
        }
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        var message = $"server {_server}: {detail ?? status}";
        throw response.StatusCode == HttpStatusCode.BadRequest ? new UsageException(message) : new JobException(message);
    }
}
