using Connector.Stores.Dav.Http;

namespace Connector.Stores.Dav.Operations;

/// <summary>DELETE of one resource, conditional on its ETag.</summary>
internal static class DeleteOperation
{
    public static Task<WriteAnswer> RunAsync(DavConnection connection, string href, string ifMatch, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, connection.Resolve(href));
        request.Headers.TryAddWithoutValidation("If-Match", PutOperation.QuotedETag(ifMatch));
        return connection.SendAsync(request, PutOperation.ReadAsync, cancellationToken);
    }
}
