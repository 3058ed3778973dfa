using System.Collections.Concurrent;
using System.Net;
using Connector.Emulator;
using Connector.OAuth;
using Connector.Stores.Ews.Http;
using Connector.Sync.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Connector.Stores.Ews.Tests;

/// <summary>
/// The HttpClient factory for administrators' identities: Basic, NTLM/Negotiate (credentials only for the EWS
/// origin and scheme), OAuth (bearer tokens from the emulator's token endpoint, with the deprecation warning).
/// NTLM itself is not emulated: what is tested is the handler's configuration and a clear error on refusal.
/// </summary>
public sealed class EwsHttpTests
{
    private static readonly Uri EwsUrl = new("https://mail.contoso.com/EWS/Exchange.asmx");

    [Fact]
    public async Task Basic_ThroughTheFactory_LogsOnAndSyncsWithoutStoreCredentials()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        using var http = EwsHttp.CreateClient(scope.Emulator.EwsUri, new EwsAuthentication { Username = EwsEmulatorScope.ServiceUser, Password = EwsEmulatorScope.ServicePassword });
        var store = new EwsItemStore(http, new EwsStoreOptions { EwsUrl = scope.Emulator.EwsUri, Mailbox = EwsEmulatorScope.Alice, Identity = EwsEmulatorScope.ServiceUser });

        var collections = await store.DiscoverCollectionsAsync(Sync.Stores.ItemKind.Event, CancellationToken.None);

        Assert.Single(collections);
        Assert.Equal(EwsEmulatorScope.ServiceUser, scope.Emulator.Requests.Snapshot().Single().Identity);
    }

    [Fact]
    public async Task Basic_CredentialsGoOnlyToTheEwsOrigin()
    {
        await using var ews = await CannedServer.StartAsync(http => http.Response.WriteAsync("ok"));
        await using var elsewhere = await CannedServer.StartAsync(http => http.Response.WriteAsync("ok"));
        using var http = EwsHttp.CreateClient(ews.EwsUri, new EwsAuthentication { Username = "svc", Password = "secret" });

        (await http.GetAsync(ews.EwsUri)).Dispose();
        (await http.GetAsync(elsewhere.EwsUri)).Dispose();

        Assert.StartsWith("Basic ", Assert.Single(ews.Authorizations), StringComparison.Ordinal);
        Assert.Equal(string.Empty, Assert.Single(elsewhere.Authorizations));
    }

    [Theory]
    [InlineData(EwsAuthType.Ntlm, "NTLM")]
    [InlineData(EwsAuthType.Negotiate, "Negotiate")]
    public void WindowsAuth_CredentialIsRestrictedToTheSchemeAndTheEwsOrigin(EwsAuthType type, string scheme)
    {
        var handler = Assert.IsType<SocketsHttpHandler>(EwsHttp.CreateHandler(EwsUrl, new EwsAuthentication { Type = type, Username = "svc-sync", Password = "pw", Domain = "CONTOSO" }));
        using (handler)
        {
            var credentials = Assert.IsType<CredentialCache>(handler.Credentials);

            var credential = credentials.GetCredential(EwsUrl, scheme);
            Assert.NotNull(credential);
            Assert.Equal(("svc-sync", "CONTOSO"), (credential.UserName, credential.Domain));
            Assert.Null(credentials.GetCredential(EwsUrl, "Basic"));
            Assert.Null(credentials.GetCredential(EwsUrl, scheme == "NTLM" ? "Negotiate" : "NTLM"));
            Assert.Null(credentials.GetCredential(new Uri("https://evil.example.com/EWS/Exchange.asmx"), scheme));
            Assert.Null(credentials.GetCredential(new Uri("http://mail.contoso.com/EWS/Exchange.asmx"), scheme));
            Assert.Null(credentials.GetCredential(new Uri("https://mail.contoso.com:8443/EWS/Exchange.asmx"), scheme));
            Assert.False(handler.PreAuthenticate);
            Assert.False(handler.AllowAutoRedirect);
            Assert.Equal(EwsHttp.DefaultPooledConnectionLifetime, handler.PooledConnectionLifetime);
        }
    }

    [Fact]
    public async Task Ntlm_AgainstAServerOfferingOnlyBasicAndBearer_IsCredentialsRejectedNamingTheOfferedSchemes()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        using var http = EwsHttp.CreateClient(scope.Emulator.EwsUri, new EwsAuthentication { Type = EwsAuthType.Ntlm, Username = "svc-sync", Password = "Passw0rd!", Domain = "CONTOSO" });
        var store = new EwsItemStore(http, new EwsStoreOptions { EwsUrl = scope.Emulator.EwsUri, Mailbox = EwsEmulatorScope.Alice, Identity = "CONTOSO\\svc-sync" });

        var ex = await Assert.ThrowsAsync<CredentialRejectedException>(() => store.DiscoverCollectionsAsync(Sync.Stores.ItemKind.Event, CancellationToken.None));

        Assert.Contains("credentials rejected", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CONTOSO\\svc-sync", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Basic", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Passw0rd!", ex.Message, StringComparison.Ordinal);
        Assert.Single(scope.Emulator.Requests.Snapshot());
    }

    [Fact]
    public async Task Ntlm_HandshakeRefusedByTheServer_IsCredentialsRejected_AndTheAccountWasOfferedOnlyThroughNtlm()
    {
        // The server plays NTLM's three legs as Exchange does (401 + challenge, then 401 when the response does not
        // verify); it checks nothing, it only shows what the handler sends and what a refusal becomes.
        await using var server = await CannedServer.StartAsync(http =>
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            var authorization = http.Request.Headers.Authorization.ToString();
            var type1 = authorization.StartsWith("NTLM ", StringComparison.Ordinal) ? Convert.FromBase64String(authorization[5..]) : null;
            http.Response.Headers.Append("WWW-Authenticate", type1 is { Length: > 16 } && type1[8] == 1 ? "NTLM " + Convert.ToBase64String(NtlmChallenge(BitConverter.ToUInt32(type1, 12))) : "NTLM");
            return Task.CompletedTask;
        });
        using var http = EwsHttp.CreateClient(server.EwsUri, new EwsAuthentication { Type = EwsAuthType.Ntlm, Username = "svc-sync", Password = "Passw0rd!", Domain = "CONTOSO" });
        var store = new EwsItemStore(http, new EwsStoreOptions { EwsUrl = server.EwsUri, Mailbox = EwsEmulatorScope.Alice, Identity = "CONTOSO\\svc-sync" });

        var ex = await Assert.ThrowsAsync<CredentialRejectedException>(() => store.DiscoverCollectionsAsync(Sync.Stores.ItemKind.Event, CancellationToken.None));

        Assert.Contains("credentials rejected", ex.Message, StringComparison.Ordinal);
        Assert.Contains("NTLM", ex.Message, StringComparison.Ordinal);
        var sent = server.Authorizations.ToList();
        Assert.Equal(3, sent.Count); // anonymous, NEGOTIATE (type 1), AUTHENTICATE (type 3): no loop
        Assert.Equal(string.Empty, sent[0]);
        var type3 = Convert.FromBase64String(sent[2]["NTLM ".Length..]);
        Assert.Equal(3, type3[8]);
        var text = System.Text.Encoding.Unicode.GetString(type3);
        Assert.Contains("svc-sync", text, StringComparison.Ordinal);
        Assert.Contains("CONTOSO", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Passw0rd!", text, StringComparison.Ordinal);
    }

    /// <summary>An NTLM CHALLENGE message (MS-NLMP 2.2.1.2) echoing the client's flags, with target info.</summary>
    private static byte[] NtlmChallenge(uint clientFlags)
    {
        var name = System.Text.Encoding.Unicode.GetBytes("CONTOSO");
        var info = new List<byte>();
        foreach (var id in new ushort[] { 1, 2 }) // MsvAvNbComputerName, MsvAvNbDomainName: clients require both
        {
            info.AddRange(BitConverter.GetBytes(id));
            info.AddRange(BitConverter.GetBytes((ushort)name.Length));
            info.AddRange(name);
        }

        info.AddRange(BitConverter.GetBytes((ushort)7)); // MsvAvTimestamp
        info.AddRange(BitConverter.GetBytes((ushort)8));
        info.AddRange(BitConverter.GetBytes(DateTime.UtcNow.ToFileTimeUtc()));
        info.AddRange(new byte[4]); // MsvAvEOL
        var message = new List<byte>();
        message.AddRange("NTLMSSP\0"u8.ToArray());
        message.AddRange(BitConverter.GetBytes(2u));
        message.AddRange(BitConverter.GetBytes((ushort)name.Length));
        message.AddRange(BitConverter.GetBytes((ushort)name.Length));
        message.AddRange(BitConverter.GetBytes(56u));
        message.AddRange(BitConverter.GetBytes(clientFlags | 0x00800000u | 0x00010000u)); // + TARGET_INFO, TARGET_TYPE_DOMAIN
        message.AddRange(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        message.AddRange(new byte[8]);
        message.AddRange(BitConverter.GetBytes((ushort)info.Count));
        message.AddRange(BitConverter.GetBytes((ushort)info.Count));
        message.AddRange(BitConverter.GetBytes((uint)(56 + name.Length)));
        message.AddRange(new byte[] { 10, 0, 0x61, 0x4a, 0, 0, 0, 15 });
        message.AddRange(name);
        message.AddRange(info);
        return [.. message];
    }

    /// <summary>The emulator with application app-1 (secret "app-secret") of tenant contoso, acting as the service user.</summary>
    private static Task<EwsEmulatorScope> StartWithApplicationAsync() => EwsEmulatorScope.StartAsync(o =>
    {
        o.Applications.Add(new EmulatorApplication { TenantId = "contoso.onmicrosoft.com", ClientId = "app-1", ClientSecret = "app-secret", Identity = EwsEmulatorScope.ServiceUser });
    });

    /// <summary>App-only EWS tokens for app-1 from the emulator's token endpoint, with the secret given.</summary>
    private static MsalAccessTokenSource ApplicationTokens(EwsEmulatorScope scope, string clientSecret) => new(new OAuthClientOptions
    {
        AuthorityHost = scope.Emulator.BaseUri,
        AllowHttpOnLoopback = true,
        InstanceDiscovery = false,
        TenantId = "contoso.onmicrosoft.com",
        ClientId = "app-1",
        ClientSecret = clientSecret,
        Scope = OAuthClientOptions.ExchangeOnlineEwsScope,
    });

    [Fact]
    public async Task OAuth_TokenFromTheEmulatorsEndpoint_SyncsAndWarnsOncePerIdentity()
    {
        await using var scope = await StartWithApplicationAsync();
        using var tokens = ApplicationTokens(scope, clientSecret: "app-secret");
        var logger = new CapturingLogger();
        var identity = "oauth-" + Guid.NewGuid().ToString("N");
        var authentication = new EwsAuthentication { Type = EwsAuthType.OAuth, Username = identity, TokenSource = tokens };
        using var http = EwsHttp.CreateClient(scope.Emulator.EwsUri, authentication, logger);
        using var again = EwsHttp.CreateClient(scope.Emulator.EwsUri, authentication, logger);
        var store = new EwsItemStore(http, new EwsStoreOptions { EwsUrl = scope.Emulator.EwsUri, Mailbox = EwsEmulatorScope.Alice, Identity = identity });

        var collections = await store.DiscoverCollectionsAsync(Sync.Stores.ItemKind.Event | Sync.Stores.ItemKind.Contact, CancellationToken.None);

        Assert.Equal(2, collections.Count);
        Assert.Equal(EwsEmulatorScope.ServiceUser, scope.Emulator.Requests.Snapshot().Single().Identity);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(identity, warning.Message, StringComparison.Ordinal);
        Assert.Contains("retired", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OAuth_ApplicationRefused_IsCredentialRejectedNotRetried()
    {
        await using var scope = await StartWithApplicationAsync();
        using var tokens = ApplicationTokens(scope, clientSecret: "stale-secret");
        using var http = EwsHttp.CreateClient(scope.Emulator.EwsUri, new EwsAuthentication { Type = EwsAuthType.OAuth, Username = "app-1", TokenSource = tokens });
        var store = new EwsItemStore(http, new EwsStoreOptions { EwsUrl = scope.Emulator.EwsUri, Mailbox = EwsEmulatorScope.Alice, Identity = "app-1", ThrottleGates = new Sync.Resilience.ThrottleGates() });

        var ex = await Assert.ThrowsAsync<CredentialRejectedException>(() => store.DiscoverCollectionsAsync(Sync.Stores.ItemKind.Event, CancellationToken.None));

        Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
        Assert.Empty(scope.Emulator.Requests.Snapshot());
        Assert.Equal(0, store.Retries);
    }

    [Theory]
    [InlineData(EwsAuthType.Basic, null, "Password")]
    [InlineData(EwsAuthType.Ntlm, null, "Password")]
    [InlineData(EwsAuthType.OAuth, "pw", "TokenSource")]
    public void IncompleteIdentity_IsRefusedNamingItAndWhatIsMissing(EwsAuthType type, string? password, string missing)
    {
        var ex = Assert.Throws<ArgumentException>(() => EwsHttp.CreateHandler(EwsUrl, new EwsAuthentication { Type = type, Username = "svc-sync", Password = password }));

        Assert.Contains("svc-sync", ex.Message, StringComparison.Ordinal);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    private sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
