namespace Connector.OAuth.Tests;

public sealed class OAuthClientOptionsTests
{
    private static OAuthClientOptions With(Uri host, bool allowHttpOnLoopback = false, string? secret = "x") => new()
    {
        AuthorityHost = host,
        AllowHttpOnLoopback = allowHttpOnLoopback,
        TenantId = "contoso.onmicrosoft.com",
        ClientId = "app",
        ClientSecret = secret,
        Scope = OAuthClientOptions.GraphScope,
    };

    [Theory]
    [InlineData("http://login.microsoftonline.com/", true)]
    [InlineData("http://10.0.0.5:8080/", true)]
    [InlineData("http://127.0.0.1:5080/", false)]
    public void PlainHttpAuthority_IsRefused_UnlessLoopbackAndAllowed(string host, bool allow)
    {
        var ex = Assert.Throws<ArgumentException>(() => With(new Uri(host), allow).Validate());

        Assert.Contains("https", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/", false)]
    [InlineData("http://127.0.0.1:5080/", true)]
    [InlineData("http://[::1]:5080/", true)]
    [InlineData("http://localhost:5080/", true)]
    public void HttpsAuthority_OrAllowedLoopback_IsAccepted(string host, bool allow) => With(new Uri(host), allow).Validate();

    [Fact]
    public void NeitherSecretNorCertificate_IsRefusedNamingTheClient()
    {
        var ex = Assert.Throws<ArgumentException>(() => With(OAuthClientOptions.DefaultAuthorityHost, secret: null).Validate());

        Assert.Contains("app", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopbackHandler_RewritesOnlyThatAuthority()
    {
        var seen = new List<Uri>();
        using var handler = new LoopbackHttpHandler(new Uri("https://127.0.0.1:5080/")) { InnerHandler = new RecordingHandler(seen) };
        using var invoker = new HttpMessageInvoker(handler);

        foreach (var uri in new[] { "https://127.0.0.1:5080/t/oauth2/v2.0/token", "https://127.0.0.1:5081/x", "https://login.microsoftonline.com/t" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            (await invoker.SendAsync(request, CancellationToken.None)).Dispose();
        }

        Assert.Equal(["http://127.0.0.1:5080/t/oauth2/v2.0/token", "https://127.0.0.1:5081/x", "https://login.microsoftonline.com/t"], seen.Select(u => u.ToString()));
    }

    [Fact]
    public void LoopbackHandler_RefusesANonLoopbackAuthority() =>
        Assert.Throws<ArgumentException>(() => new LoopbackHttpHandler(new Uri("https://login.microsoftonline.com/")));

    private sealed class RecordingHandler(List<Uri> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NoContent));
        }
    }
}
