using System.Xml;

namespace Connector.Stores.Ews.Operations;

/// <summary>
/// One EWS operation on the wire, in two steps that know nothing of HTTP: <see cref="Build"/> writes the
/// request element of soap:Body (e.g. m:SyncFolderItems), <see cref="Parse"/> reads the response element
/// (e.g. m:SyncFolderItemsResponse). <see cref="Http.EwsConnection"/> runs them: envelope, headers,
/// authentication, faults and failures are its business.
/// </summary>
internal interface IEwsOperation<out TResult>
{
    /// <summary>The EWS operation name, for messages and logs ("SyncFolderItems").</summary>
    string Name { get; }

    /// <summary>Writes the operation's element into soap:Body.</summary>
    void Build(XmlWriter writer);

    /// <summary>
    /// Reads the response element the reader is on (a reader limited to that element). Per-item errors are
    /// results; request-level codes (ErrorServerBusy…) have already been turned into exceptions.
    /// </summary>
    TResult Parse(XmlReader reader);
}
