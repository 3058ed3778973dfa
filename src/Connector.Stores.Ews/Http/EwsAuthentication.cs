using Connector.OAuth;

namespace Connector.Stores.Ews.Http;

/// <summary>How an identity logs on to EWS.</summary>
public enum EwsAuthType
{
    /// <summary>HTTP Basic: user name and password in every request (over https only, in production).</summary>
    Basic,

    /// <summary>NTLM, answered by the HTTP handler to the server's challenge (Exchange on-premises, Windows auth).</summary>
    Ntlm,

    /// <summary>Negotiate (Kerberos, falling back to NTLM), answered by the HTTP handler.</summary>
    Negotiate,

    /// <summary>
    /// An app-only OAuth bearer token (client credentials through MSAL): legacy Exchange Online EWS, which Microsoft
    /// retires between October 2026 and April 2027. A deprecation warning is logged once per identity.
    /// </summary>
    OAuth,
}

/// <summary>An administrator's identity as EWS needs it: the scheme and the secrets for it.</summary>
public sealed class EwsAuthentication
{
    public EwsAuthType Type { get; init; } = EwsAuthType.Basic;

    /// <summary>
    /// The account ("svc-sync", "svc-sync@contoso.com"; with <see cref="Domain"/> for NTLM/Negotiate). For OAuth, the
    /// identity's name for logs and throttling (the application id, or the administrator's label for it).
    /// </summary>
    public string Username { get; init; } = string.Empty;

    /// <summary>Password for Basic, NTLM and Negotiate; unused for OAuth.</summary>
    public string? Password { get; init; }

    /// <summary>Windows domain for NTLM/Negotiate ("CONTOSO"); null when the user name is a UPN.</summary>
    public string? Domain { get; init; }

    /// <summary>Token source for OAuth, e.g. a <see cref="MsalAccessTokenSource"/> with the Exchange Online EWS scope.</summary>
    public IAccessTokenSource? TokenSource { get; init; }

    /// <summary>The name for messages, logs and throttle gates: DOMAIN\user or user.</summary>
    public string DisplayName => string.IsNullOrEmpty(Domain) ? Username : Domain + "\\" + Username;

    /// <summary>Throws for an identity that cannot log on, naming it and what is missing.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Username))
        {
            throw new ArgumentException($"EWS identity ({Type}): Username is required.", nameof(Username));
        }

        switch (Type)
        {
            case EwsAuthType.Basic or EwsAuthType.Ntlm or EwsAuthType.Negotiate when string.IsNullOrEmpty(Password):
                throw new ArgumentException($"EWS identity {DisplayName}: {Type} needs a Password.", nameof(Password));
            case EwsAuthType.OAuth when TokenSource is null:
                throw new ArgumentException($"EWS identity {DisplayName}: OAuth needs a TokenSource.", nameof(TokenSource));
            case EwsAuthType.Basic when Username.Contains(':', StringComparison.Ordinal):
                throw new ArgumentException($"EWS identity {DisplayName}: a Basic user name cannot contain ':'.", nameof(Username));
            case not (EwsAuthType.Basic or EwsAuthType.Ntlm or EwsAuthType.Negotiate or EwsAuthType.OAuth):
                throw new ArgumentOutOfRangeException(nameof(Type), Type, $"EWS identity {DisplayName}: unknown authentication type.");
        }
    }
}
