namespace Connector.Domain;

/// <summary>What every synchronised item has: an identity shared by both sides.</summary>
public interface ISyncItem
{
    /// <summary>iCalendar / vCard UID.</summary>
    string Uid { get; }
}
