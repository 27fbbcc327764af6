using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
        // Given, not left to the first serializer call to fill in: PrepareJobReading asks for type metadata before any.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    /// <summary>
    /// Starts building, on other threads, what reading a job's inputs and outcomes needs: built by
    /// reflection at first use, about a tenth of a second of a resume's wait for its next test, while the
    /// command line is parsed and the store opened. Every type they hold is prepared, not only the outer
    /// one (each is otherwise built when first met). (Code generated at compile time would not do: it sets
    /// every init-only property, so an input a client or an older store left out would lose its default.)
    /// </summary>
    public static void PrepareJobReading()
    {
        _ = Task.Run(() => Prepare(typeof(JobSpec)));
        _ = Task.Run(() => Prepare(typeof(StoredEntry)));
    }

    /// <summary>Builds the metadata of <paramref name="root"/> and of every type it holds; returns the types prepared.</summary>
    internal static IReadOnlySet<Type> Prepare(Type root)
    {
        var prepared = new HashSet<Type>();
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }
            JsonTypeInfo info;
            try
            {
                info = Options.GetTypeInfo(type);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                // A type only the reading itself can tell about: it says so there.
                continue;
            }
            prepared.Add(type);
            foreach (var inner in info.Properties.Select(p => p.PropertyType).Append(info.ElementType).Append(info.KeyType))
            {
                if (inner is not null)
                {
                    pending.Push(inner);
                }
            }
        }
        return prepared;
    }
}
