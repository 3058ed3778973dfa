using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Connector.Worker.Configuration;

/// <summary>
/// Reads a <c>.env</c> file as docker-compose and systemd's <c>EnvironmentFile</c> write them:
/// <c>KEY=VALUE</c> lines, <c>#</c> comments, an optional <c>export </c> prefix, single quotes
/// (taken literally) and double quotes (with <c>\n</c>, <c>\"</c>, <c>\\</c> escapes). Keys keep
/// .NET's <c>Section__Key</c> form; <see cref="ToConfigurationKey"/> turns it into <c>Section:Key</c>.
/// </summary>
public static class DotEnvFile
{
    /// <summary>The pairs of <paramref name="text"/>, in file order; a later duplicate wins when put in a dictionary.</summary>
    /// <exception cref="FormatException">A line is neither blank, a comment nor KEY=VALUE (names the file and line).</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<KeyValuePair<string, string>>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var lineNumber = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (equals <= 0)
            {
                throw new FormatException($"{fileName}, line {lineNumber}: expected KEY=VALUE");
            }

            var key = line[..equals].Trim();
            if (key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':')))
            {
                throw new FormatException($"{fileName}, line {lineNumber}: '{key}' is not a valid variable name");
            }

            result.Add(new(key, Value(line[(equals + 1)..].Trim(), fileName, lineNumber)));
        }

        return result;
    }

    /// <summary><c>Service__SyncMode</c> → <c>Service:SyncMode</c>, as .NET's environment-variable provider maps it.</summary>
    public static string ToConfigurationKey(string key) => key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    private static string Value(string raw, string fileName, string lineNumber)
    {
        if (raw.Length == 0)
        {
            return string.Empty;
        }

        var quote = raw[0];
        if (quote is '\'' or '"')
        {
            var end = FindClosingQuote(raw, quote);
            if (end < 0)
            {
                throw new FormatException($"{fileName}, line {lineNumber}: the value's closing {quote} is missing");
            }

            var rest = raw[(end + 1)..].Trim();
            if (rest.Length > 0 && rest[0] != '#')
            {
                throw new FormatException($"{fileName}, line {lineNumber}: text after the closing quote");
            }

            var inner = raw[1..end];
            return quote == '\'' ? inner : Unescape(inner);
        }

        // Unquoted: a '#' after whitespace starts a comment (so passwords may contain '#').
        var comment = raw.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? raw[..comment] : raw).TrimEnd();
    }

    private static int FindClosingQuote(string raw, char quote)
    {
        for (var i = 1; i < raw.Length; i++)
        {
            if (quote == '"' && raw[i] == '\\')
            {
                i++;
                continue;
            }

            if (raw[i] == quote)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                sb.Append(value[i] switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    var c => c,
                });
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }
}
