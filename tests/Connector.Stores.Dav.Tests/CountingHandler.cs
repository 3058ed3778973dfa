using System.Collections.Concurrent;

namespace Connector.Stores.Dav.Tests;

/// <summary>Counts the requests that pass, by method (REPORT is split into sync-collection and multiget).</summary>
internal sealed class CountingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<string> _requests = new();

    public CountingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>Every request since the last <see cref="Reset"/>, as "METHOD kind" (kind: the REPORT's root element, else the path).</summary>
    public IReadOnlyList<string> Requests => _requests.ToList();

    public int Count => _requests.Count;

    public int CountOf(string prefix) => _requests.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

    public void Reset() => _requests.Clear();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var what = request.Method.Method;
        if (what == "REPORT" && request.Content is not null)
        {
            var body = await request.Content.ReadAsStringAsync(cancellationToken);
            what += body.Contains("sync-collection", StringComparison.Ordinal) ? " sync-collection"
                : body.Contains("multiget", StringComparison.Ordinal) ? " multiget"
                : " other";
        }

        _requests.Enqueue(what);
        return await base.SendAsync(request, cancellationToken);
    }
}
