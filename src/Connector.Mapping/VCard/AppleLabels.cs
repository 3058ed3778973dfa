namespace Connector.Mapping.VCard;

/// <summary>
/// Apple's and Google's X-ABLabel texts. Built-in labels are stored wrapped (<c>_$!&lt;Other&gt;!$_</c>)
/// and custom ones plain; the model keeps the stored text so it round-trips exactly, and this turns
/// it into what a person should see.
/// </summary>
public static class AppleLabels
{
    private const string Prefix = "_$!<";
    private const string Suffix = ">!$_";

    /// <summary><c>_$!&lt;HomePage&gt;!$_</c> → <c>HomePage</c>; a custom label is returned unchanged.</summary>
    public static string DisplayText(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return label.Length > Prefix.Length + Suffix.Length
            && label.StartsWith(Prefix, StringComparison.Ordinal)
            && label.EndsWith(Suffix, StringComparison.Ordinal)
                ? label[Prefix.Length..^Suffix.Length]
                : label;
    }
}
