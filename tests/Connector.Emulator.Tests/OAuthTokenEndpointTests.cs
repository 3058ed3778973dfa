using System.Net;
using System.Text.Json;

namespace Connector.Emulator.Tests;

/// <summary>
/// The emulator's OAuth 2.0 token endpoint (client credentials) with raw HTTP: tokens for configured applications,
/// Entra ID's error shapes, and issued tokens accepted by EWS as their identity until they expire or are revoked.
/// </summary>
public sealed class OAuthTokenEndpointTests
{
    private const string Tenant = "contoso.onmicrosoft.com";
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private const string Secret = "s3cret~value";
    private const string EwsScope = "https://outlook.office365.com/.default";

    private static Task<EmulatorScope> StartAsync(TimeProvider? clock = null) => EmulatorScope.StartAsync(o =>
    {
        o.Applications.Add(new EmulatorApplication { TenantId = Tenant, ClientId = ClientId, ClientSecret = Secret, Identity = EmulatorScope.User, TokenLifetimeSeconds = 600 });
        if (clock is not null)
        {
            o.TimeProvider = clock;
        }
    });

    private static async Task<(HttpStatusCode Status, JsonElement Body)> RequestTokenAsync(EmulatorScope scope, string tenant = Tenant, string grant = "client_credentials", string clientId = ClientId, string? secret = Secret, string scopeValue = EwsScope)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = grant, ["client_id"] = clientId, ["scope"] = scopeValue };
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await scope.Http.PostAsync(scope.Emulator.TokenEndpoint(tenant), content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task ClientSecret_IssuesBearerToken_AcceptedByEwsAsTheApplicationsIdentity()
    {
        await using var scope = await StartAsync();

        var (status, body) = await RequestTokenAsync(scope);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        var token = body.GetProperty("access_token").GetString()!;
        var ews = await scope.PostAsync(EmulatorScope.Envelope(Soap.SyncFolderItems("calendar", 1), impersonate: "alice@contoso.com"), bearer: token);
        ews.AssertSuccess();
        Assert.Equal(1, scope.Emulator.TokensIssued);
        var logged = scope.Emulator.Requests.Snapshot().Single();
        Assert.Equal(EmulatorScope.User, logged.Identity);
        Assert.Equal("alice@contoso.com", logged.ImpersonatedMailbox);
    }

    [Fact]
    public async Task ExpiredToken_IsRefusedWith401()
    {
        var clock = new ShiftableClock();
        await using var scope = await StartAsync(clock);
        var token = (await RequestTokenAsync(scope)).Body.GetProperty("access_token").GetString()!;
        (await scope.PostAsync(EmulatorScope.Envelope(Soap.SyncFolderItems("calendar", 1)), bearer: token)).AssertSuccess();

        clock.Offset = TimeSpan.FromSeconds(601);
        var expired = await scope.PostAsync(EmulatorScope.Envelope(Soap.SyncFolderItems("calendar", 1)), bearer: token);

        Assert.Equal(HttpStatusCode.Unauthorized, expired.Status);
    }

    [Fact]
    public async Task RevokedTokens_AreRefusedWith401()
    {
        await using var scope = await StartAsync();
        var token = (await RequestTokenAsync(scope)).Body.GetProperty("access_token").GetString()!;

        scope.Emulator.RevokeIssuedTokens();

        Assert.Equal(HttpStatusCode.Unauthorized, (await scope.PostAsync(EmulatorScope.Envelope(Soap.SyncFolderItems("calendar", 1)), bearer: token)).Status);
    }

    [Theory]
    [InlineData("wrong-secret", Tenant, ClientId, "client_credentials", EwsScope, HttpStatusCode.Unauthorized, "invalid_client", "AADSTS7000215")]
    [InlineData(Secret, "fabrikam.onmicrosoft.com", ClientId, "client_credentials", EwsScope, HttpStatusCode.BadRequest, "invalid_request", "AADSTS90002")]
    [InlineData(Secret, Tenant, "99999999-0000-0000-0000-000000000000", "client_credentials", EwsScope, HttpStatusCode.BadRequest, "unauthorized_client", "AADSTS700016")]
    [InlineData(Secret, Tenant, ClientId, "password", EwsScope, HttpStatusCode.BadRequest, "unsupported_grant_type", "AADSTS70003")]
    [InlineData(Secret, Tenant, ClientId, "client_credentials", "EWS.AccessAsUser.All", HttpStatusCode.BadRequest, "invalid_scope", "AADSTS1002012")]
    public async Task BadRequests_AreAnsweredInEntraIdsErrorShape(string secret, string tenant, string clientId, string grant, string scopeValue, HttpStatusCode expectedStatus, string expectedError, string expectedCode)
    {
        await using var scope = await StartAsync();

        var (status, body) = await RequestTokenAsync(scope, tenant, grant, clientId, secret, scopeValue);

        Assert.Equal(expectedStatus, status);
        Assert.Equal(expectedError, body.GetProperty("error").GetString());
        Assert.StartsWith(expectedCode + ":", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, scope.Emulator.TokensIssued);
    }

    [Fact]
    public async Task NoClientCredential_IsInvalidClient()
    {
        await using var scope = await StartAsync();

        var (status, body) = await RequestTokenAsync(scope, secret: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task OpenIdConfiguration_NamesTheTokenEndpoint()
    {
        await using var scope = await StartAsync();

        var text = await scope.Http.GetStringAsync($"{Tenant}/v2.0/.well-known/openid-configuration");

        var tokenEndpoint = JsonDocument.Parse(text).RootElement.GetProperty("token_endpoint").GetString();
        Assert.Equal(scope.Emulator.TokenEndpoint(Tenant).ToString(), tokenEndpoint);
    }

    /// <summary>The system clock, moved forward on demand (token expiry without waiting).</summary>
    private sealed class ShiftableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
