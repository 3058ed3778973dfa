namespace Connector.Emulator;

/// <summary>
/// An app registration the emulator's OAuth token endpoint knows (client credentials grant): the tokens it issues
/// are accepted as bearer tokens for <see cref="Identity"/>, with that identity's impersonation rights.
/// </summary>
public sealed class EmulatorApplication
{
    /// <summary>Tenant id or domain in the token endpoint's path, <c>/{tenant}/oauth2/v2.0/token</c>.</summary>
    public string TenantId { get; set; } = string.Empty;

    public string ClientId { get; set; } = string.Empty;

    /// <summary>Client secret; null refuses secrets for this application.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Public certificate (PEM) whose private key signs client assertions (RS256 or PS256, as MSAL sends them);
    /// null refuses assertions for this application.
    /// </summary>
    public string? CertificatePem { get; set; }

    /// <summary>Name of the <see cref="EmulatorIdentity"/> the application acts as.</summary>
    public string Identity { get; set; } = string.Empty;

    /// <summary>expires_in of issued tokens; after that the token is refused with 401.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;
}
