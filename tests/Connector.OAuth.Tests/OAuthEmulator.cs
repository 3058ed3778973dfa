using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Connector.Emulator;

namespace Connector.OAuth.Tests;

/// <summary>An emulator with one identity and two app registrations acting as it (client secret, certificate).</summary>
internal sealed class OAuthEmulator : IAsyncDisposable
{
    public const string Tenant = "contoso.onmicrosoft.com";
    public const string SecretClientId = "11111111-2222-3333-4444-555555555555";
    public const string CertificateClientId = "66666666-7777-8888-9999-000000000000";
    public const string Secret = "s3cret~value";
    public const string Identity = "svc-oauth";

    private OAuthEmulator(ExchangeEmulator emulator, X509Certificate2 certificate)
    {
        Emulator = emulator;
        Certificate = certificate;
    }

    public ExchangeEmulator Emulator { get; }

    /// <summary>Self-signed, with its private key: what the certificate application signs assertions with.</summary>
    public X509Certificate2 Certificate { get; }

    public static async Task<OAuthEmulator> StartAsync(int tokenLifetimeSeconds = 3600)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=connector-test-app", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var options = new EmulatorOptions { Port = 0 };
        var identity = new EmulatorIdentity { Name = Identity, Mailbox = "svc-oauth@contoso.com" };
        identity.CanImpersonate.Add("*");
        options.Identities.Add(identity);
        options.Applications.Add(new EmulatorApplication { TenantId = Tenant, ClientId = SecretClientId, ClientSecret = Secret, Identity = Identity, TokenLifetimeSeconds = tokenLifetimeSeconds });
        options.Applications.Add(new EmulatorApplication { TenantId = Tenant, ClientId = CertificateClientId, CertificatePem = certificate.ExportCertificatePem(), Identity = Identity, TokenLifetimeSeconds = tokenLifetimeSeconds });
        return new OAuthEmulator(await ExchangeEmulator.StartAsync(options, CancellationToken.None), certificate);
    }

    /// <summary>Options for the emulator's authority (plain http on loopback, explicitly allowed; no instance discovery).</summary>
    public OAuthClientOptions Options(string? secret = Secret, bool certificate = false) => new()
    {
        AuthorityHost = Emulator.BaseUri,
        AllowHttpOnLoopback = true,
        InstanceDiscovery = false,
        TenantId = Tenant,
        ClientId = certificate ? CertificateClientId : SecretClientId,
        ClientSecret = certificate ? null : secret,
        Certificate = certificate ? Certificate : null,
        Scope = OAuthClientOptions.ExchangeOnlineEwsScope,
    };

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        Certificate.Dispose();
    }
}
