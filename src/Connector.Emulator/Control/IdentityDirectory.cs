using System.Text;
using Connector.Emulator.OAuth;
using Microsoft.Extensions.Primitives;

namespace Connector.Emulator.Control;

/// <summary>
/// Authenticates requests (Basic, Bearer: static tokens and those the OAuth token endpoint issued and that have not
/// expired) against the configured identities and decides impersonation.
/// </summary>
internal sealed class IdentityDirectory
{
    private readonly IReadOnlyList<EmulatorIdentity> identities;
    private readonly OAuthTokenIssuer? issued;

    public IdentityDirectory(IEnumerable<EmulatorIdentity> identities, OAuthTokenIssuer? issued = null)
    {
        this.identities = identities.ToList();
        this.issued = issued;
    }

    public EmulatorIdentity? Authenticate(StringValues authorization)
    {
        var header = authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return null;
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return null;
            }

            var user = decoded[..colon];
            var password = decoded[(colon + 1)..];
            return identities.FirstOrDefault(i => i.Password is not null
                && string.Equals(i.Name, user, StringComparison.OrdinalIgnoreCase)
                && string.Equals(i.Password, password, StringComparison.Ordinal));
        }

        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header[7..].Trim();
            return identities.FirstOrDefault(i => i.BearerTokens.Contains(token, StringComparer.Ordinal))
                ?? (issued?.IdentityOf(token) is { } owner ? identities.FirstOrDefault(i => string.Equals(i.Name, owner, StringComparison.OrdinalIgnoreCase)) : null);
        }

        return null;
    }

    public static bool MayImpersonate(EmulatorIdentity identity, string smtpAddress) =>
        identity.CanImpersonate.Any(a => a == "*" || string.Equals(a, smtpAddress, StringComparison.OrdinalIgnoreCase));
}
