using System.Net;
using System.Xml.Linq;
using Connector.Stores.Dav.Http;
using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Operations;

internal enum SyncOutcome
{
    /// <summary><see cref="SyncCollectionResult.Changes"/> and <see cref="SyncCollectionResult.ServerToken"/> are set.</summary>
    Changes,

    /// <summary>The server refused the token (DAV:valid-sync-token, or Xandikos' 500).</summary>
    TokenInvalid,

    /// <summary>The server does not do sync-collection on this collection.</summary>
    NotSupported,
}

/// <summary>
/// What one sync-collection REPORT returned. <see cref="Truncated"/> is true when the server cut the answer short
/// (a 507 response for the collection itself, RFC 6578 3.6).
/// </summary>
internal sealed record SyncCollectionResult(SyncOutcome Outcome, IReadOnlyList<ItemChange> Changes, string? ServerToken, bool Truncated)
{
    public static SyncCollectionResult Invalid { get; } = new(SyncOutcome.TokenInvalid, [], null, false);

    public static SyncCollectionResult Unsupported { get; } = new(SyncOutcome.NotSupported, [], null, false);
}

/// <summary>
/// RFC 6578 sync-collection REPORT, sync-level 1, asking for getetag only. An empty token lists every member.
/// Never sends DAV:limit: Nextcloud truncates such an answer but returns its latest token, so the rest of the
/// changes would be lost (see <see cref="DavServerQuirks.Nextcloud"/>).
/// </summary>
internal static class SyncCollectionOperation
{
    private sealed record Answer(HttpStatusCode Status, Multistatus? Body, DavErrorBody? Error);

    /// <param name="connection">The account's connection.</param>
    /// <param name="collection">The collection's canonical href.</param>
    /// <param name="serverToken">The server's token; empty for a full listing.</param>
    /// <param name="quirks">Asked only when the server answers a token with 500 (Xandikos).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public static async Task<SyncCollectionResult> RunAsync(
        DavConnection connection,
        string collection,
        string serverToken,
        Func<CancellationToken, Task<DavServerQuirks>> quirks,
        CancellationToken cancellationToken)
    {
        var hasToken = serverToken.Length > 0;
        var body = DavXml.Body(new XElement(
            DavXml.Dav + "sync-collection",
            DavXml.NamespaceDeclarations(),
            new XElement(DavXml.SyncToken, serverToken),
            new XElement(DavXml.SyncLevel, "1"),
            new XElement(DavXml.Prop, new XElement(DavXml.GetETag))));
        var collectionUri = connection.Resolve(collection);

        var answer = await connection.SendAsync(
            DavConnection.XmlRequest(DavConnection.Report, collectionUri, "0", body),
            async (response, ct) => response.StatusCode == HttpStatusCode.MultiStatus
                ? new Answer(response.StatusCode, await DavConnection.ReadMultistatusAsync(response, ct), null)
                : new Answer(response.StatusCode, null, await DavErrorBody.ReadAsync(response, ct)),
            // Xandikos 0.2 answers a token it does not know with 500; decided below, after asking the quirks.
            status => hasToken && status == HttpStatusCode.InternalServerError,
            cancellationToken);

        switch ((int)answer.Status)
        {
            case 207:
                return Read(answer.Body!, collection, collectionUri, hasToken);
            case 500:
                return (await quirks(cancellationToken)).HasFlag(DavServerQuirks.Xandikos)
                    ? SyncCollectionResult.Invalid
                    : throw new TransientStoreException($"REPORT sync-collection {collection}: server error 500.");
            case 404:
                throw new StoreException($"The collection {collection} does not exist (404).");

            // RFC 6578 3.2: an invalid or expired token is 403 (Radicale) or 409 with DAV:valid-sync-token. Any
            // refusal of a token means "ask for a full listing", never "no changes" (S05).
            case 400 or 403 or 409 or 410 or 412 when hasToken:
                return SyncCollectionResult.Invalid;

            // Without a token the refusal is of the report itself: 403 DAV:supported-report, 405, 501, …
            case 400 or 403 or 405 or 415 or 422 or 501:
                return hasToken ? SyncCollectionResult.Invalid : SyncCollectionResult.Unsupported;
            default:
                throw new StoreException($"REPORT sync-collection {collection}: unexpected answer {(int)answer.Status} ({answer.Error}).");
        }
    }

    private static SyncCollectionResult Read(Multistatus body, string collection, Uri collectionUri, bool hasToken)
    {
        if (string.IsNullOrEmpty(body.SyncToken))
        {
            // A multistatus without a token is not a sync-collection answer (an old server ignoring the report).
            return hasToken ? SyncCollectionResult.Invalid : SyncCollectionResult.Unsupported;
        }

        var changes = new List<ItemChange>(body.Responses.Count);
        var truncated = false;
        foreach (var entry in body.Responses)
        {
            var href = DavHref.Normalize(entry.Href, collectionUri);
            if (!DavHref.IsMemberResource(collection, href))
            {
                truncated |= entry.EffectiveStatus == 507;
                continue;
            }

            switch (entry.EffectiveStatus)
            {
                case 404:
                    changes.Add(new ItemChange(ChangeKind.Deleted, href, null));
                    break;
                case >= 200 and < 300:
                    changes.Add(new ItemChange(ChangeKind.Upserted, href, entry.PropertyText(DavXml.GetETag)));
                    break;
                default:
                    // A member the server cannot show us (403): nothing to sync; it returns when it changes.
                    break;
            }
        }

        return new SyncCollectionResult(SyncOutcome.Changes, changes, body.SyncToken, truncated);
    }
}
