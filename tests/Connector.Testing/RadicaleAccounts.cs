using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Connector.Testing;

/// <summary>Radicale accounts of the worker tests (build.sh adds wk1..wk4): emptied before a test so runs never meet.</summary>
public static class RadicaleAccounts
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
