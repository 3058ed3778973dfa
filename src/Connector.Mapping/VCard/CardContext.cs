using Connector.Mapping.Text;

namespace Connector.Mapping.VCard;

/// <summary>
/// Where a card sits in its document. Each card is parsed on its own (so one broken card cannot
/// stop the others), which numbers its lines from 1; this turns them back into document lines.
/// </summary>
internal sealed class CardContext
{
    private readonly List<string> _warnings;

    public CardContext(int position, int firstLine, List<string> warnings)
    {
        Position = position;
        LineOffset = firstLine - 1;
        _warnings = warnings;
    }

    /// <summary>1-based position of the card in the document.</summary>
    public int Position { get; }

    public int LineOffset { get; }

    /// <summary>
    /// The card as administrators see it in messages: position and UID only. Names are personal
    /// data and stay out of logs.
    /// </summary>
    public static string Describe(int position, string? uid) =>
        string.IsNullOrEmpty(uid) ? $"VCARD #{position}" : $"VCARD #{position} UID={uid}";

    public void Warn(ContentLine line, string message) =>
        _warnings.Add($"{Describe(Position, null)}, line {line.Line + LineOffset}: {line.Name}: {message}");

    public void Warn(int line, string message) =>
        _warnings.Add($"{Describe(Position, null)}, line {line + LineOffset}: {message}");

    /// <summary>A warning from the content layer (its line numbers count from the card's first line).</summary>
    public void Warn(string message) => _warnings.Add($"{Describe(Position, null)}: {message} (line counted from the card's BEGIN)");

    /// <summary>The same error with the document line and the card named.</summary>
    public MappingException InDocument(MappingException error, string item) =>
        new(error.Reason, (error.Line ?? 1) + LineOffset, item, error);
}
