using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Connector.Domain;

namespace Connector.Mapping.Json;

/// <summary>
/// JSON view of the domain model, for <c>convert</c> and for administrators reading why an item fails:
/// enums as names, times as compact strings, empty lists and nulls left out, photos as base64.
/// </summary>
public static class ModelJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipEmptyLists } },
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new CalendarTimeConverter());
        options.Converters.Add(new BytesConverter());
        options.MakeReadOnly();
        return options;
    }

    private static void SkipEmptyLists(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(ValueList<>))
            {
                property.ShouldSerialize = static (_, value) => value is System.Collections.ICollection { Count: > 0 }
                    || (value is System.Collections.IEnumerable e && e.GetEnumerator().MoveNext());
            }
        }
    }

    private sealed class CalendarTimeConverter : JsonConverter<CalendarTime>
    {
        public override CalendarTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("the JSON view is for reading by people, not for input");

        public override void Write(Utf8JsonWriter writer, CalendarTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }

    private sealed class BytesConverter : JsonConverter<ValueList<byte>>
    {
        public override ValueList<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("the JSON view is for reading by people, not for input");

        public override void Write(Utf8JsonWriter writer, ValueList<byte> value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Convert.ToBase64String([.. value]));
    }
}
