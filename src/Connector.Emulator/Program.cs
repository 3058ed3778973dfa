using Connector.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

// connector-emulator: the Exchange emulator as a process (see README.md).
if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    Console.WriteLine("""
        connector-emulator — a fake Exchange server (EWS) and Microsoft 365 tenant (Graph, /v1.0) for tests and the demo, on loopback.

        Options (also settable in appsettings.json, section "Emulator", or as Emulator__Name env vars):
          --port N              TCP port (default 5080; 0 = any free port)
          --host ADDRESS        listen address (default 127.0.0.1)
          --seed none|demo|bench
          --users N             bench: number of mailboxes (default 10)
          --items M             bench: items per folder and mailbox (default 100)
          --latency MS          fixed latency per EWS request
          --max-concurrency N   concurrent requests per identity (default 27)
          --throttle fault|503  how an exceeded budget is answered (default fault)
          --validate-responses  validate every response against the schema too
          --data FILE           keep the mailboxes in FILE: loaded at start instead of seeding, saved on stop

        Graph users and throttling: "Emulator": { "Graph": { "Users": [ { "UserPrincipalName": "dave@fabrikam.onmicrosoft.com" } ] } }
        (an identity uses a Graph mailbox when its CanImpersonate names it or "*"; demo seed: bearer token graph-demo-token).

        Identities, mailboxes and impersonation rights: appsettings.json, e.g.
          "Emulator": { "Identities": [ { "Name": "svc", "Password": "pw", "CanImpersonate": [ "*" ] } ],
                        "Mailboxes": [ { "SmtpAddress": "alice@contoso.com" } ] }
        """);
    return 0;
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--port"] = "Emulator:Port",
    ["--host"] = "Emulator:Host",
    ["--seed"] = "Emulator:Seed",
    ["--users"] = "Emulator:BenchUsers",
    ["--items"] = "Emulator:BenchItems",
    ["--latency"] = "Emulator:LatencyMilliseconds",
    ["--max-concurrency"] = "Emulator:Throttling:MaxConcurrentRequestsPerIdentity",
    ["--throttle"] = "Emulator:ThrottleMode",
    ["--validate-responses"] = "Emulator:ValidateResponses",
    ["--data"] = "Emulator:DataFile",
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var options = new EmulatorOptions();
builder.Configuration.GetSection("Emulator").Bind(options);
if (string.Equals(builder.Configuration["Emulator:ThrottleMode"], "503", StringComparison.Ordinal))
{
    options.Throttling.Response = ThrottleResponse.Http503;
}

var (app, runtime) = ExchangeEmulator.Build(builder, options);
await app.StartAsync();
var baseUri = ExchangeEmulator.ListeningUri(app);
Console.WriteLine($"connector-emulator listening on {baseUri} (EWS: {new Uri(baseUri, "EWS/Exchange.asmx")}, Graph: {new Uri(baseUri, "v1.0/")})");
if (runtime.Graph.Mailboxes.Count > 0)
{
    Console.WriteLine($"graph users: {string.Join(", ", runtime.Graph.Mailboxes.Select(m => m.UserPrincipalName).Order(StringComparer.Ordinal).Take(10))}{(runtime.Graph.Mailboxes.Count > 10 ? ", …" : string.Empty)}");
}

Console.WriteLine($"seed: {options.Seed}; mailboxes: {string.Join(", ", runtime.Store.Mailboxes.Select(m => m.SmtpAddress).Order(StringComparer.Ordinal).Take(10))}{(runtime.Store.Mailboxes.Count() > 10 ? ", …" : string.Empty)}");
foreach (var identity in options.Identities)
{
    Console.WriteLine($"identity: {identity.Name}{(identity.Mailbox is null ? string.Empty : " (mailbox " + identity.Mailbox + ")")}{(identity.CanImpersonate.Count > 0 ? ", may impersonate " + string.Join(", ", identity.CanImpersonate) : string.Empty)}");
}

await app.WaitForShutdownAsync();
return 0;
