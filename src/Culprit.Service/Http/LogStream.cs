using Culprit.Jobs.Reports;
using Culprit.Service.Nodes;
using Culprit.Store;
using Microsoft.AspNetCore.Http;

namespace Culprit.Service.Http;

/// <summary>
/// A job's log as Server-Sent Events: every stored line (a multi-line entry as several <c>data:</c>
/// fields, which a client joins with newlines), then new lines as the store gets them, whichever node
/// runs the job; an <c>end</c> event carrying the final state closes the stream.
/// </summary>
public static class LogStream
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(300);
    public const string EndEvent = "end";

    public static async Task WriteAsync(HttpContext context, JobStore store, string id)
    {
        var response = context.Response;
        var ct = context.RequestAborted;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var sent = 0;
        try
        {
            while (true)
            {
                // The state first: lines read after a final state are all the lines there will be.
                var state = store.GetJob(id).State;
                var lines = store.Log(id);
                for (; sent < lines.Count; sent++)
                {
                    var text = VisibleText.Block(lines[sent].Text);
                    await response.WriteAsync(string.Concat(text.Split('\n').Select(l => $"data: {l}\n")) + "\n", ct);
                }
                if (!JobStates.IsActive(state))
                {
                    await response.WriteAsync($"event: {EndEvent}\ndata: {state}\n\n", ct);
                    return;
                }
                await response.Body.FlushAsync(ct);
                await Task.Delay(Poll, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left.
        }
    }
}
