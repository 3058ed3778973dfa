using System.Text;

namespace Connector.Stores.Dav.Tests.Replay;

/// <summary>Passes requests to the real server and records each exchange (bodies buffered, so the store still reads them).</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    private readonly ReplayPlaceholders _placeholders;
    private readonly List<RecordedExchange> _exchanges = [];

    public RecordingHandler(HttpMessageHandler inner, Uri server)
        : base(inner)
    {
        _placeholders = new ReplayPlaceholders(server.GetLeftPart(UriPartial.Authority));
    }

    public IReadOnlyList<RecordedExchange> Exchanges => _exchanges;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.PathAndQuery;
        if (ReplayPlaceholders.CreatesCollection(request.Method.Method))
        {
            _placeholders.AddCollection(path);
        }

        var response = await base.SendAsync(request, cancellationToken);
        var responseBytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var responseBody = Encoding.UTF8.GetString(responseBytes);

        _exchanges.Add(new RecordedExchange(
            request.Method.Method,
            _placeholders.Abstract(path),
            Headers(request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()), RecordedExchange.KeptRequestHeaders),
            _placeholders.Abstract(requestBody),
            (int)response.StatusCode,
            Headers(response.Headers.Concat(response.Content.Headers), RecordedExchange.KeptResponseHeaders).Select(h => new KeyValuePair<string, string>(h.Key, _placeholders.Abstract(h.Value))).ToList(),
            _placeholders.Abstract(responseBody)));

        // The body was read to record it; hand the store a fresh copy with the same headers.
        var copy = new ByteArrayContent(responseBytes);
        foreach (var header in response.Content.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = copy;
        return response;
    }

    private static List<KeyValuePair<string, string>> Headers(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, string[] kept) =>
        headers.Where(h => kept.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            // Server and User-Agent are lists of product tokens separated by spaces, other headers by commas.
            .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(h.Key is "Server" or "User-Agent" ? " " : ", ", h.Value)))
            .ToList();
}
