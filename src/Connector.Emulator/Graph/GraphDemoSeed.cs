namespace Connector.Emulator.Graph;

/// <summary>
/// What the "demo" seed puts into the Microsoft 365 tenant, for tests and the README: the mailbox,
/// the app (static bearer token, or client credentials through the OAuth token endpoint).
/// </summary>
public static class GraphDemoSeed
{
    public const string User = "dave@fabrikam.onmicrosoft.com";
    public const string AppName = "graph-demo-app";
    public const string BearerToken = "graph-demo-token";
    public const string TenantId = "fabrikam.onmicrosoft.com";
    public const string ClientId = "11111111-2222-3333-4444-555555555555";
    public const string ClientSecret = "graph-demo-secret";
}
