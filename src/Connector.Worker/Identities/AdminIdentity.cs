using System.Text;

namespace Connector.Worker.Identities;

/// <summary>Which Exchange an identity talks to (admins.json <c>ExchangeType</c>).</summary>
public enum ExchangeType
{
    /// <summary>Microsoft 365 through Microsoft Graph (app-only).</summary>
    Microsoft365 = 1,

    /// <summary>Exchange Server 2016/2019 through EWS with impersonation.</summary>
    ExchangeServer = 2,
}

/// <summary>How an EWS identity authenticates (admins.json <c>AuthType</c>).</summary>
public enum EwsAuthType
{
    Basic,
    Ntlm,
    Negotiate,
    OAuth,
}

/// <summary>
/// One entry of admins.json: an account that may act on users' mailboxes (EWS impersonation or a
/// Graph application). Secrets are kept here only to build stores; <see cref="ToString"/> hides them.
/// </summary>
public sealed record AdminIdentity
{
    /// <summary>The identity's name: the key of the sticky user assignment, shown in status and metrics.</summary>
    public required string Name { get; init; }

    public required ExchangeType ExchangeType { get; init; }

    // EWS ------------------------------------------------------------------------------------

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Windows domain for NTLM/Negotiate (and <c>DOMAIN\user</c> for Basic).</summary>
    public string? Domain { get; init; }

    public EwsAuthType AuthType { get; init; } = EwsAuthType.Basic;

    public Uri? EwsUrl { get; init; }

    // Graph ----------------------------------------------------------------------------------

    public string? TenantId { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    /// <summary>A PFX/PEM file with the application's certificate (instead of a client secret).</summary>
    public string? CertificatePath { get; init; }

    public string? CertificatePassword { get; init; }

    /// <summary>
    /// Where OAuth tokens come from: Microsoft's public cloud by default; a national cloud's login host
    /// (e.g. https://login.microsoftonline.us/), or the emulator on loopback in tests and the demo.
    /// </summary>
    public Uri? AuthorityHost { get; init; }

    /// <summary>The Graph root (default https://graph.microsoft.com/v1.0/; national clouds and the emulator differ).</summary>
    public Uri? GraphUrl { get; init; }

    /// <summary>"Ews" or "Graph", as status shows it.</summary>
    public string Backend => ExchangeType == ExchangeType.Microsoft365 ? "Graph" : "Ews";

    // Records print every property; a secret must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name)
            .Append(", ExchangeType = ").Append(ExchangeType)
            .Append(", Username = ").Append(Username)
            .Append(", Domain = ").Append(Domain)
            .Append(", AuthType = ").Append(AuthType)
            .Append(", EwsUrl = ").Append(EwsUrl)
            .Append(", TenantId = ").Append(TenantId)
            .Append(", ClientId = ").Append(ClientId)
            .Append(", AuthorityHost = ").Append(AuthorityHost)
            .Append(", GraphUrl = ").Append(GraphUrl)
            .Append(", Password = ").Append(Password is null ? "(none)" : "***")
            .Append(", ClientSecret = ").Append(ClientSecret is null ? "(none)" : "***");
        return true;
    }
}
