using Connector.Emulator.Ews;
using Connector.Emulator.Ews.Schema;
using Connector.Emulator.OAuth;
using Connector.Emulator.Graph;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Connector.Emulator.Hosting;

/// <summary>
/// The HTTP surface: /EWS (SOAP and its schema files) and /emulator (JSON control endpoints for
/// outbox, faults, latency, request log, mailboxes), and Microsoft Graph under /v1.0 (Graph/GraphEndpoint).
/// </summary>
internal static class EmulatorEndpoints
{
    public static void Map(WebApplication app, EmulatorRuntime runtime, EwsEndpoint ews, GraphEndpoint graph)
    {
        app.MapPost("/EWS/Exchange.asmx", ews.HandleAsync);
        app.MapGet("/EWS/Exchange.asmx", (HttpContext http) => runtime.Identities.Authenticate(http.Request.Headers.Authorization) is null
            ? Results.Unauthorized()
            : Results.Content("<html><body>Exchange Web Services (connector emulator)</body></html>", "text/html"));
        app.MapGet("/EWS/Services.wsdl", () => Schema("services.wsdl"));
        app.MapGet("/EWS/messages.xsd", () => Schema("messages.xsd"));
        app.MapGet("/EWS/types.xsd", () => Schema("types.xsd"));

        var oauth = new OAuthTokenEndpoint(runtime);
        app.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext http, string tenant) => oauth.TokenAsync(http, tenant));
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext http, string tenant) => OAuthTokenEndpoint.OpenIdConfiguration(http, tenant));

        var control = app.MapGroup("/emulator");
        control.MapGet("/health", () => Results.Text("ok"));
        control.MapGet("/outbox", (string? mailbox) => Results.Json(Outbox(runtime, mailbox).Concat(GraphControl.Outbox(runtime.Graph, mailbox)).OrderBy(m => m.Sequence)));
        control.MapDelete("/outbox", (string? mailbox) =>
        {
            GraphControl.ClearOutbox(runtime.Graph, mailbox);
            foreach (var box in runtime.Store.Mailboxes.Where(m => mailbox is null || string.Equals(m.SmtpAddress, mailbox, StringComparison.OrdinalIgnoreCase)))
            {
                lock (box.Gate)
                {
                    box.Outbox.Clear();
                }
            }

            return Results.NoContent();
        });
        control.MapGet("/faults", () => Results.Json(runtime.Faults.Rules.Select(r => new { id = r.Id, rule = r.Rule, remaining = r.Rule.Count is null ? (int?)null : r.Remaining })));
        control.MapPost("/faults", (FaultRule rule) =>
        {
            try
            {
                return Results.Json(new { id = runtime.Faults.Add(rule) });
            }
            catch (ArgumentException ex)
            {
                return Results.BadRequest(new { error = ex.Message });
            }
        });
        control.MapDelete("/faults", () =>
        {
            runtime.Faults.Clear();
            return Results.NoContent();
        });
        control.MapDelete("/faults/{id:long}", (long id) => runtime.Faults.Remove(id) ? Results.NoContent() : Results.NotFound());
        control.MapGet("/latency", () => Results.Json(new LatencySetting(runtime.LatencyMilliseconds)));
        control.MapPut("/latency", (LatencySetting setting) =>
        {
            runtime.LatencyMilliseconds = Math.Max(0, setting.Milliseconds);
            return Results.Json(setting);
        });
        control.MapGet("/requests", () => Results.Json(runtime.Requests.Snapshot()));
        control.MapDelete("/requests", () =>
        {
            runtime.Requests.Clear();
            return Results.NoContent();
        });
        control.MapGet("/mailboxes", () => Results.Json(runtime.Store.Mailboxes.OrderBy(m => m.SmtpAddress, StringComparer.OrdinalIgnoreCase).Select(m =>
        {
            lock (m.Gate)
            {
                return new
                {
                    smtpAddress = m.SmtpAddress,
                    displayName = m.DisplayName,
                    folders = m.Folders.Where(f => f.Items.Count > 0 || f.DistinguishedName is "calendar" or "contacts" or "tasks")
                        .ToDictionary(f => f.DistinguishedName ?? f.DisplayName, f => f.Items.Count),
                    outbox = m.Outbox.Count,
                };
            }
        })));
        control.MapPost("/mailboxes/{mailbox}/folders/{folder}/invalidate-sync-states", (string mailbox, string folder) =>
        {
            var box = runtime.Store.Find(mailbox);
            var target = box?.FolderByDistinguishedName(folder);
            if (box is null || target is null)
            {
                return Results.NotFound();
            }

            lock (box.Gate)
            {
                target.SyncGeneration++;
            }

            return Results.NoContent();
        });
        control.MapGet("/operations", () => Results.Json(EwsEndpoint.SupportedOperations));

        // Microsoft Graph (the Microsoft 365 tenant) and its control endpoints under /emulator/graph.
        app.Map("/v1.0/{**path}", graph.HandleAsync);
        GraphControl.Map(control, runtime.Graph);
    }

    private static List<OutboxMessage> Outbox(EmulatorRuntime runtime, string? mailbox) =>
        runtime.Store.Mailboxes
            .Where(m => mailbox is null || string.Equals(m.SmtpAddress, mailbox, StringComparison.OrdinalIgnoreCase))
            .SelectMany(m =>
            {
                lock (m.Gate)
                {
                    return m.Outbox.ToList();
                }
            })
            .OrderBy(m => m.Sequence)
            .ToList();

    private static IResult Schema(string file) =>
        EwsSchema.ReadResource(file) is { } bytes ? Results.Bytes(bytes, "text/xml") : Results.NotFound();

    /// <summary>Body of PUT /emulator/latency.</summary>
    internal sealed record LatencySetting(int Milliseconds);
}
