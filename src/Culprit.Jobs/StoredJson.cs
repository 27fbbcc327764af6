using System.Text.Json;
using Culprit.Store;

namespace Culprit.Jobs;

/// <summary>Reads what the job layer stored as JSON; data that does not read back is one clear store error.</summary>
internal static class StoredJson
{
    public static T Read<T>(string json, string jobId, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonDefaults.Options)
                ?? throw new StoreException($"job {jobId}: its stored {what} is empty");
        }
        catch (JsonException ex)
        {
            throw new StoreException($"job {jobId}: cannot read its stored {what} (not valid JSON: {ex.Message.Split('\n')[0]})", ex);
        }
    }
}
