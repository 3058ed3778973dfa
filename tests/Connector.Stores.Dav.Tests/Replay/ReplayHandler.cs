using System.Net;
using System.Text;

namespace Connector.Stores.Dav.Tests.Replay;

/// <summary>
/// Serves a recorded conversation in order. Each request must match the recorded one (method, path, the headers
/// that decide what a server does, and for XML requests the body); otherwise the test fails naming the step.
/// </summary>
internal sealed class ReplayHandler : HttpMessageHandler
{
    public static readonly Uri BaseUri = new("http://dav.replay.invalid/");

    private readonly IReadOnlyList<RecordedExchange> _exchanges;
    private readonly string _name;
    private readonly ReplayPlaceholders _placeholders = new(BaseUri.GetLeftPart(UriPartial.Authority));
    private int _next;

    public ReplayHandler(IReadOnlyList<RecordedExchange> exchanges, string name)
    {
        _exchanges = exchanges;
        _name = name;
    }

    /// <summary>How many recorded exchanges were served.</summary>
    public int Served => _next;

    /// <summary>Fails unless every recorded exchange was asked for.</summary>
    public void AssertAllServed() =>
        Assert.True(_next == _exchanges.Count, $"{_name}: the store sent {_next} of the {_exchanges.Count} recorded requests");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var path = request.RequestUri!.PathAndQuery;
        if (_next >= _exchanges.Count)
        {
            Assert.Fail($"{_name}: unexpected request #{_next + 1} {method} {path}; the conversation has {_exchanges.Count}");
        }

        var step = $"{_name} #{_next + 1:D3}";
        var recorded = _exchanges[_next++];
        if (ReplayPlaceholders.CreatesCollection(method) && ReplayPlaceholders.IsCollectionPlaceholder(recorded.PathAndQuery))
        {
            _placeholders.Bind(recorded.PathAndQuery, path);
        }

        Assert.Equal($"{step}: {recorded.Method} {_placeholders.Concrete(recorded.PathAndQuery)}", $"{step}: {method} {path}");
        foreach (var name in new[] { "Depth", "If-Match", "If-None-Match" })
        {
            var sent = request.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
            Assert.Equal($"{step} {name}: {recorded.RequestHeader(name)}", $"{step} {name}: {sent}");
        }

        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        if (request.Content?.Headers.ContentType?.MediaType == "application/xml")
        {
            Assert.Equal($"{step} body: {_placeholders.Concrete(recorded.RequestBody)}", $"{step} body: {body}");
        }

        var response = new HttpResponseMessage((HttpStatusCode)recorded.Status)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(_placeholders.Concrete(recorded.ResponseBody))),
        };
        foreach (var (name, value) in recorded.ResponseHeaders)
        {
            if (!response.Headers.TryAddWithoutValidation(name, _placeholders.Concrete(value)))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }
}
