using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Connector.Emulator.OAuth;

/// <summary>
/// POST /{tenant}/oauth2/v2.0/token, the Microsoft identity platform's token endpoint for the client credentials
/// grant (RFC 6749 §4.4): client_id with client_secret, or a certificate-signed client_assertion (RFC 7523), and
/// a <c>…/.default</c> scope. Answers and errors have Entra ID's JSON shape (error, error_description with an
/// AADSTS code, error_codes). Also GET /{tenant}/v2.0/.well-known/openid-configuration, for clients that read the
/// metadata first.
/// </summary>
internal sealed class OAuthTokenEndpoint
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly string[] AuthMethods = ["client_secret_post", "private_key_jwt"];
    private static readonly string[] GrantTypes = ["client_credentials"];
    private static readonly string[] ResponseTypes = ["token"];
    private static readonly string[] SubjectTypes = ["pairwise"];
    private static readonly string[] SigningAlgorithms = ["RS256"];

    private readonly EmulatorRuntime runtime;

    public OAuthTokenEndpoint(EmulatorRuntime runtime)
    {
        this.runtime = runtime;
    }

    public async Task<IResult> TokenAsync(HttpContext http, string tenant)
    {
        if (!http.Request.HasFormContentType)
        {
            return Error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var grant = form["grant_type"].ToString();
        var clientId = form["client_id"].ToString();
        var scope = form["scope"].ToString();
        if (grant != "client_credentials")
        {
            return Error(400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grant}'.");
        }

        var applications = runtime.Options.Applications.Where(a => string.Equals(a.TenantId, tenant, StringComparison.OrdinalIgnoreCase)).ToList();
        if (applications.Count == 0)
        {
            return Error(400, "invalid_request", 90002, $"Tenant '{tenant}' not found.");
        }

        var application = applications.FirstOrDefault(a => string.Equals(a.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
        if (application is null)
        {
            return Error(400, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{tenant}'.");
        }

        var secret = form["client_secret"].ToString();
        var assertion = form["client_assertion"].ToString();
        if (secret.Length > 0)
        {
            if (application.ClientSecret is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(application.ClientSecret)))
            {
                return Error(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
            }
        }
        else if (assertion.Length > 0 && form["client_assertion_type"] == AssertionType)
        {
            var audience = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}";
            if (VerifyAssertion(application, assertion, audience) is { } problem)
            {
                return Error(401, "invalid_client", 700027, "Client assertion failed signature validation or its claims are wrong: " + problem);
            }
        }
        else
        {
            return Error(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }

        if (!scope.EndsWith("/.default", StringComparison.Ordinal) || scope.Contains(' ', StringComparison.Ordinal))
        {
            return Error(400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }

        if (!runtime.Options.Identities.Any(i => string.Equals(i.Name, application.Identity, StringComparison.OrdinalIgnoreCase)))
        {
            return Error(400, "unauthorized_client", 700016, $"Application '{clientId}' acts as identity '{application.Identity}', which the emulator does not have.");
        }

        var lifetime = TimeSpan.FromSeconds(Math.Max(1, application.TokenLifetimeSeconds));
        var token = runtime.Tokens.Issue(application.Identity, scope, lifetime);
        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)lifetime.TotalSeconds,
            ["ext_expires_in"] = (int)lifetime.TotalSeconds,
            ["access_token"] = token.AccessToken,
        });
    }

    public static IResult OpenIdConfiguration(HttpContext http, string tenant)
    {
        var root = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/{tenant}";
        return Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = $"{root}/v2.0",
            ["token_endpoint"] = $"{root}/oauth2/v2.0/token",
            ["authorization_endpoint"] = $"{root}/oauth2/v2.0/authorize",
            ["token_endpoint_auth_methods_supported"] = AuthMethods,
            ["grant_types_supported"] = GrantTypes,
            ["response_types_supported"] = ResponseTypes,
            ["subject_types_supported"] = SubjectTypes,
            ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
            ["jwks_uri"] = $"{root}/discovery/v2.0/keys",
        });
    }

    /// <summary>Null when the JWT is signed by the application's certificate and names it and this endpoint; else what is wrong.</summary>
    private string? VerifyAssertion(EmulatorApplication application, string assertion, string audience)
    {
        if (application.CertificatePem is null)
        {
            return "the application has no certificate";
        }

        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "not a signed JWT";
        }

        try
        {
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
            var alg = header.RootElement.TryGetProperty("alg", out var a) ? a.GetString() : null;
            using var certificate = X509Certificate2.CreateFromPem(application.CertificatePem);
            using var key = certificate.GetRSAPublicKey();
            if (key is null)
            {
                return "the application's certificate has no RSA key";
            }

            var padding = alg switch
            {
                "RS256" => RSASignaturePadding.Pkcs1,
                "PS256" => RSASignaturePadding.Pss,
                _ => null,
            };
            if (padding is null)
            {
                return $"unsupported alg {alg}";
            }

            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!key.VerifyData(signed, FromBase64Url(parts[2]), HashAlgorithmName.SHA256, padding))
            {
                return "the signature does not match the application's certificate";
            }

            var root = claims.RootElement;
            string? Claim(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (!string.Equals(Claim("iss"), application.ClientId, StringComparison.OrdinalIgnoreCase) || !string.Equals(Claim("sub"), application.ClientId, StringComparison.OrdinalIgnoreCase))
            {
                return "iss and sub must be the client id";
            }

            // The scheme is not compared: a client on loopback sees this endpoint as https (MSAL accepts no other)
            // and sends it as http (OAuthClientOptions.AllowHttpOnLoopback).
            if (!string.Equals(WithoutScheme(Claim("aud")), WithoutScheme(audience), StringComparison.OrdinalIgnoreCase))
            {
                return $"aud {Claim("aud")} is not this token endpoint ({audience})";
            }

            // MSAL.NET writes exp as a string of digits, RFC 7519 as a number: both are read.
            var seconds = root.TryGetProperty("exp", out var exp)
                ? exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var number) ? number
                : exp.ValueKind == JsonValueKind.String && long.TryParse(exp.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var text) ? text
                : 0
                : 0;
            var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return expires <= runtime.Store.Now ? "the assertion has expired (exp)" : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or CryptographicException or ArgumentException)
        {
            return "unreadable assertion: " + ex.Message;
        }
    }

    private static string? WithoutScheme(string? url) =>
        url is null ? null : (url.IndexOf("://", StringComparison.Ordinal) is var at and >= 0 ? url[(at + 3)..] : url).TrimEnd('/');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private static IResult Error(int status, string error, int code, string description) =>
        Results.Json(
            new Dictionary<string, object>
            {
                ["error"] = error,
                ["error_description"] = string.Create(CultureInfo.InvariantCulture, $"AADSTS{code}: {description}"),
                ["error_codes"] = new[] { code },
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
            statusCode: status);
}
