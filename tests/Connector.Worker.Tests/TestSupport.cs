using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Connector.Sync.Stores;
using Microsoft.Extensions.Logging;

namespace Connector.Worker.Tests;

/// <summary>What a collection holds right now, read through its store (a full listing, then one fetch).</summary>
internal static class StoreContents
{
    public static async Task<List<StoreItem>> ReadAsync(IItemStore store, CollectionInfo collection)
    {
        var listing = new List<ItemChange>();
        string? token = null;
        ChangeFeed feed;
        do
        {
            feed = await store.GetChangesAsync(collection, token, CancellationToken.None);
            listing.AddRange(feed.Changes);
            token = feed.NewToken;
        }
        while (feed.MoreAvailable);

        var ids = listing.Where(c => c.Kind == ChangeKind.Upserted).Select(c => c.Id).Distinct().ToList();
        var fetched = ids.Count == 0 ? [] : await store.FetchAsync(collection, ids, CancellationToken.None);
        return [.. fetched.Where(f => f.Status == FetchStatus.Found).Select(f => f.Item!)];
    }
}

/// <summary>Radicale accounts of the worker tests (build.sh adds wk1..wk4): emptied before a test so runs never meet.</summary>
internal static class RadicaleAccounts
{
    public static string Password(string user) => $"wk-{user}-Secret-9";

    /// <summary>Deletes every collection of <paramref name="user"/>.</summary>
    public static async Task EmptyAsync(Uri baseUri, string user)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password(user)}")));
        var home = new Uri(baseUri, $"/{user}/");
        using var propfind = new HttpRequestMessage(new HttpMethod("PROPFIND"), home)
        {
            Content = new StringContent("""<?xml version="1.0"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>""", Encoding.UTF8, "application/xml"),
        };
        propfind.Headers.Add("Depth", "1");
        using var response = await client.SendAsync(propfind);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        XNamespace dav = "DAV:";
        var hrefs = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(dav + "href").Select(h => h.Value)
            .Where(h => h.TrimEnd('/') != home.AbsolutePath.TrimEnd('/')).ToList();
        foreach (var href in hrefs)
        {
            using var delete = await client.DeleteAsync(new Uri(baseUri, href));
        }
    }
}

/// <summary>Every log line of a run, formatted with its exception, to search for things that must never be there.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {fields} {exception}");
        }
    }
}
