using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Connector.OAuth.Tests;

public sealed class MsalAccessTokenSourceTests
{
    [Fact]
    public async Task ClientSecret_GetsATokenTheEmulatorAccepts_AndCachesIt()
    {
        await using var emulator = await OAuthEmulator.StartAsync();
        using var source = new MsalAccessTokenSource(emulator.Options());

        var first = await source.GetAccessTokenAsync(CancellationToken.None);
        var second = await source.GetAccessTokenAsync(CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(1, emulator.Emulator.TokensIssued);
        Assert.Equal(1, source.Acquisitions);
        Assert.Equal(HttpStatusCode.OK, await GetEwsAsync(emulator, new StaticTokenSource(first)));
    }

    [Fact]
    public async Task Certificate_ClientAssertionIsAccepted()
    {
        await using var emulator = await OAuthEmulator.StartAsync();
        using var source = new MsalAccessTokenSource(emulator.Options(certificate: true));

        var token = await source.GetAccessTokenAsync(CancellationToken.None);

        Assert.Equal(1, emulator.Emulator.TokensIssued);
        Assert.Equal(HttpStatusCode.OK, await GetEwsAsync(emulator, new StaticTokenSource(token)));
    }

    [Fact]
    public async Task WrongSecret_IsACredentialProblemNamingTheApplication()
    {
        await using var emulator = await OAuthEmulator.StartAsync();
        using var source = new MsalAccessTokenSource(emulator.Options(secret: "wrong"));

        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => source.GetAccessTokenAsync(CancellationToken.None).AsTask());

        Assert.True(ex.IsCredentialProblem, ex.Message);
        Assert.Equal("invalid_client", ex.ErrorCode);
        Assert.Contains(OAuthEmulator.SecretClientId, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableAuthority_IsNotACredentialProblem()
    {
        OAuthClientOptions options;
        await using (var emulator = await OAuthEmulator.StartAsync())
        {
            options = emulator.Options();
        }

        using var source = new MsalAccessTokenSource(options);
        var ex = await Assert.ThrowsAsync<OAuthTokenException>(() => source.GetAccessTokenAsync(CancellationToken.None).AsTask());

        Assert.False(ex.IsCredentialProblem, ex.Message);
    }

    [Fact]
    public async Task TokenNearExpiry_IsRenewedBeforeItExpires()
    {
        await using var emulator = await OAuthEmulator.StartAsync(tokenLifetimeSeconds: 3600);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var source = new MsalAccessTokenSource(emulator.Options(), time: clock);
        var first = await source.GetAccessTokenAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(first, await source.GetAccessTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(6)); // 4 minutes left: less than RefreshBeforeExpiry (5)
        var renewed = await source.GetAccessTokenAsync(CancellationToken.None);

        Assert.NotEqual(first, renewed);
        Assert.Equal(2, emulator.Emulator.TokensIssued);
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOneRequestToTheAuthority()
    {
        await using var emulator = await OAuthEmulator.StartAsync();
        using var source = new MsalAccessTokenSource(emulator.Options());

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => source.GetAccessTokenAsync(CancellationToken.None).AsTask()));

        Assert.Single(tokens.Distinct());
        Assert.Equal(1, emulator.Emulator.TokensIssued);
    }

    [Fact]
    public async Task Refresh_OfTheRejectedToken_AsksTheAuthorityOnce_AndAStaleRejectionGetsTheReplacement()
    {
        await using var emulator = await OAuthEmulator.StartAsync();
        using var source = new MsalAccessTokenSource(emulator.Options());
        var first = await source.GetAccessTokenAsync(CancellationToken.None);

        var renewed = await source.RefreshAccessTokenAsync(first, CancellationToken.None);
        var again = await source.RefreshAccessTokenAsync(first, CancellationToken.None);

        Assert.NotEqual(first, renewed);
        Assert.Equal(renewed, again);
        Assert.Equal(2, emulator.Emulator.TokensIssued);
    }

    [Fact]
    public async Task BearerHandler_RevokedToken_RefreshesOnceAndSucceeds()
    {
        await using var emulator = await OAuthEmulator.StartAsync();
        using var source = new MsalAccessTokenSource(emulator.Options());
        Assert.Equal(HttpStatusCode.OK, await GetEwsAsync(emulator, source));

        emulator.Emulator.RevokeIssuedTokens();

        Assert.Equal(HttpStatusCode.OK, await GetEwsAsync(emulator, source));
        Assert.Equal(2, emulator.Emulator.TokensIssued);
    }

    [Fact]
    public async Task BearerHandler_SecondUnauthorized_IsReturnedNotRetriedAgain()
    {
        await using var emulator = await OAuthEmulator.StartAsync();
        var refused = new StaticTokenSource("not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, await GetEwsAsync(emulator, refused));
        Assert.Equal(1, refused.Refreshes);
    }

    [Fact]
    public async Task WithoutInstanceDiscovery_MsalAsksOnlyTheTokenEndpoint_OverPlainHttpOnLoopback()
    {
        await using var emulator = await OAuthEmulator.StartAsync();
        var seen = new List<string>();
        using var source = new MsalAccessTokenSource(emulator.Options(), backchannel: new RecordingHandler(seen) { InnerHandler = new SocketsHttpHandler() });

        await source.GetAccessTokenAsync(CancellationToken.None);

        Assert.Equal([$"POST {emulator.Emulator.TokenEndpoint(OAuthEmulator.Tenant)}"], seen);
    }

    private sealed class RecordingHandler(List<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add($"{request.Method} {request.RequestUri!.GetLeftPart(UriPartial.Path)}");
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static async Task<HttpStatusCode> GetEwsAsync(OAuthEmulator emulator, IAccessTokenSource tokens)
    {
        using var http = new HttpClient(new BearerTokenHandler(tokens, new SocketsHttpHandler()));
        using var response = await http.GetAsync(emulator.Emulator.EwsUri);
        return response.StatusCode;
    }

    private sealed class StaticTokenSource(string token) : IAccessTokenSource
    {
        public int Refreshes { get; private set; }

        public ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);

        public ValueTask<string> RefreshAccessTokenAsync(string rejectedToken, CancellationToken cancellationToken)
        {
            Refreshes++;
            return ValueTask.FromResult(token);
        }
    }
}
