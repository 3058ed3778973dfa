using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Connector.Host.Hosting;

/// <summary>
/// The last step before any sink: replaces the value of every log property whose name says it is a
/// secret (Password, SharedSecret, ClientSecret, AccessToken, ApiKey, Authorization, …) by
/// <see cref="Mask"/>, at any depth of a destructured object or dictionary, and masks the password
/// of a connection string (<c>Password=…;</c>) or URL (<c>https://user:pass@host</c>) inside any
/// string value. Code should never log a secret in the first place; this is the net under it, so
/// that one careless <c>{@Options}</c> does not put an app password into Loki.
/// </summary>
public sealed partial class SecretMaskingEnricher : ILogEventEnricher
{
    public const string Mask = "***";

    private static readonly ScalarValue MaskValue = new(Mask);

    /// <summary>
    /// Name fragments (compared without case, '_', '-' and '.') that mark a secret. "token" also
    /// catches sync tokens, which are not secret; losing them from logs is the cheaper mistake.
    /// </summary>
    private static readonly string[] SecretNameFragments =
        ["password", "passwd", "pwd", "secret", "token", "apikey", "authorization", "credential", "privatekey", "sharedkey", "cookie"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var masked = IsSecretName(name) ? MaskValue : MaskValueTree(value);
            if (!ReferenceEquals(masked, value))
            {
                (replacements ??= []).Add(new LogEventProperty(name, masked));
            }
        }

        if (replacements is not null)
        {
            foreach (var property in replacements)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }

    /// <summary>True when a property or key named <paramref name="name"/> holds a secret.</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<char> normalised = stackalloc char[Math.Min(name.Length, 128)];
        var length = 0;
        foreach (var c in name.AsSpan(0, normalised.Length))
        {
            if (c is not ('_' or '-' or '.' or ' '))
            {
                normalised[length++] = char.ToLowerInvariant(c);
            }
        }

        var text = normalised[..length];
        foreach (var fragment in SecretNameFragments)
        {
            if (text.Contains(fragment, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Masks inside strings, structures, dictionaries and sequences; returns the same instance when nothing changed.</summary>
    internal static LogEventPropertyValue MaskValueTree(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                var maskedText = MaskInsideText(text);
                return ReferenceEquals(maskedText, text) ? value : new ScalarValue(maskedText);

            // Serilog keeps a Uri as a scalar, not a string: https://user:password@host must not slip through.
            case ScalarValue { Value: Uri uri } when uri.UserInfo.Contains(':', StringComparison.Ordinal):
                return new ScalarValue(MaskInsideText(uri.ToString()));

            case StructureValue structure:
            {
                var changed = false;
                var properties = new List<LogEventProperty>(structure.Properties.Count);
                foreach (var property in structure.Properties)
                {
                    var masked = IsSecretName(property.Name) ? MaskValue : MaskValueTree(property.Value);
                    changed |= !ReferenceEquals(masked, property.Value);
                    properties.Add(ReferenceEquals(masked, property.Value) ? property : new LogEventProperty(property.Name, masked));
                }

                return changed ? new StructureValue(properties, structure.TypeTag) : value;
            }

            case DictionaryValue dictionary:
            {
                var changed = false;
                var elements = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
                foreach (var (key, element) in dictionary.Elements)
                {
                    var masked = key.Value is string keyName && IsSecretName(keyName) ? MaskValue : MaskValueTree(element);
                    changed |= !ReferenceEquals(masked, element);
                    elements.Add(new(key, masked));
                }

                return changed ? new DictionaryValue(elements) : value;
            }

            case SequenceValue sequence:
            {
                var changed = false;
                var elements = new List<LogEventPropertyValue>(sequence.Elements.Count);
                foreach (var element in sequence.Elements)
                {
                    var masked = MaskValueTree(element);
                    changed |= !ReferenceEquals(masked, element);
                    elements.Add(masked);
                }

                return changed ? new SequenceValue(elements) : value;
            }

            default:
                return value;
        }
    }

    /// <summary>Masks <c>Password=…</c> pairs and URL user-info passwords; returns the same string when there are none.</summary>
    internal static string MaskInsideText(string text)
    {
        // Cheap pre-check: most log values are names and numbers.
        if (!text.Contains('=', StringComparison.Ordinal) && !text.Contains('@', StringComparison.Ordinal))
        {
            return text;
        }

        var masked = KeyValueSecret().Replace(text, match => match.Groups["key"].Value + "=" + Mask);
        masked = UrlUserInfo().Replace(masked, match => match.Groups["scheme"].Value + match.Groups["user"].Value + ":" + Mask + "@");
        return masked == text ? text : masked;
    }

    // Connection strings (Npgsql "Password=x;"), query strings ("?access_token=x&"), and .env lines.
    [GeneratedRegex(@"(?<key>\b[\w.-]*(?:password|passwd|pwd|secret|token|apikey|api_key)[\w.-]*)\s*=\s*(?:""[^""]*""|'[^']*'|[^;&\s,]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"(?<scheme>\b[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]+@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();
}
