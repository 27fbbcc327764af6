using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Culprit.Jobs;

/// <summary>The JSON conventions of Culprit's files and store: snake_case names, enums as kebab-case strings.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    /// <summary>
    /// Starts building, on another thread, what reading a job's outcomes needs: built by reflection at
    /// first use, tens of milliseconds, which a resume then spends while it reads the job's inputs (the
    /// reading that needs them first builds theirs itself: two threads building the same would only
    /// share the processors). (Code generated at compile time would not do: it sets every init-only
    /// property, so an input a client or an older store left out would lose its default.)
    /// </summary>
    public static void PrepareJobReading() => _ = Task.Run(() => Options.GetTypeInfo(typeof(StoredEntry)));
}
