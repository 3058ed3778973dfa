namespace Connector.Stores.Dav.Tests;

/// <summary>Answers every request with a function of it; records the requests (with their bodies).</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _answer;

    public StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer)
        : this((request, _) => Task.FromResult(answer(request)))
    {
    }

    public StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        _answer = answer;
    }

    public List<(HttpMethod Method, string Path, string Body)> Requests { get; } = [];

    public static DavItemStore Store(StubHandler handler, TimeProvider? time = null, TimeSpan? timeout = null, DavServerQuirks? quirks = null) =>
        new(
            new HttpClient(handler),
            new DavStoreOptions
            {
                BaseUri = new Uri("http://dav.stub.invalid/"),
                UserName = "alice",
                Password = "secret",
                PrincipalPath = "/principals/alice/",
                Timeout = timeout ?? TimeSpan.FromSeconds(10),
                Quirks = quirks,
            },
            time);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request.Method, request.RequestUri!.AbsolutePath, body));
        }

        var response = await _answer(request, cancellationToken);
        response.RequestMessage ??= request;
        return response;
    }
}

/// <summary>A clock that stands still, for Retry-After dates.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
