using System.Globalization;
using System.Text.Json;
using Connector.Worker.Identities;

namespace Connector.Worker.Configuration;

/// <summary>
/// What admins.json and the users file share: a JSON array in a file that holds secrets. Every problem
/// becomes a <see cref="ConfigurationException"/> that names the file, so the worker can report it the
/// same way whichever file it was.
/// </summary>
internal static class JsonArrayFile
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Throws when the file is missing; warns when group or others can read it, as it holds <paramref name="secrets"/>.</summary>
    /// <param name="missing">What to say after "PATH: " when the file does not exist (which setting names it, what it is for).</param>
    /// <param name="secrets">What the file holds, for the warning, e.g. "passwords".</param>
    /// <exception cref="ConfigurationException">The file does not exist.</exception>
    public static IReadOnlyList<string> Check(string path, string missing, string secrets)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationException([$"{path}: {missing}"]);
        }

        return FilePermissions.ReadableByOthers(path) is { } mode
            ? [$"{path}: the file holds {secrets} and is readable by group or others (mode {mode}); run: chmod 600 {path}"]
            : [];
    }

    /// <exception cref="ConfigurationException">The file cannot be read.</exception>
    public static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, ex);
        }
    }

    /// <exception cref="ConfigurationException">The file cannot be read.</exception>
    public static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, ex);
        }
    }

    /// <summary>Parses <paramref name="json"/> (comments and trailing commas allowed); the caller disposes the document.</summary>
    /// <param name="elements">What the array holds, for the message when the root is not an array, e.g. "users".</param>
    /// <exception cref="ConfigurationException">Not JSON, or the root is not an array.</exception>
    public static JsonDocument ParseArray(string json, string fileName, string elements)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException([$"{fileName}: not valid JSON (line {(ex.LineNumber + 1)?.ToString(CultureInfo.InvariantCulture)}): {ex.Message}"]);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            var found = document.RootElement.ValueKind;
            document.Dispose();
            throw new ConfigurationException([$"{fileName}: expected a JSON array of {elements}, found {found}"]);
        }

        return document;
    }

    private static ConfigurationException CannotRead(string path, Exception ex) => new([$"{path}: cannot read: {ex.Message}"]);
}
