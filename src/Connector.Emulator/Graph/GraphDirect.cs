using System.Text.Json.Nodes;

namespace Connector.Emulator.Graph;

/// <summary>
/// Runs a Graph request against a mailbox from C# (seeding, tests), through the same routes and
/// handlers as HTTP but without authentication, throttling, faults or latency.
/// </summary>
internal static class GraphDirect
{
    public static GraphResponse Invoke(GraphMailbox mailbox, string method, string pathBelowUser, JsonNode? body = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var question = pathBelowUser.IndexOf('?', StringComparison.Ordinal);
        var request = new GraphRequest
        {
            Method = method,
            Path = "users/" + mailbox.UserPrincipalName + "/" + (question < 0 ? pathBelowUser : pathBelowUser[..question]).TrimStart('/'),
            Query = GraphRequest.ParseQuery(question < 0 ? string.Empty : pathBelowUser[question..]),
            Headers = headers ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            Body = body,
            ServiceRoot = "http://localhost/v1.0/",
        };
        var route = GraphApi.Resolve(request, out var bad) ?? throw new ArgumentException($"no Graph route for {method} {pathBelowUser} (segment '{bad}')", nameof(pathBelowUser));
        var call = new GraphCall
        {
            Mailbox = mailbox,
            Request = request,
            View = new GraphView(null, null, GraphApi.ParseSelect(request.QueryValue("$select")), GraphJson.ParseExpand(request.QueryValue("$expand"))),
            Operation = "seed " + route.Operation,
        };
        lock (mailbox.Gate)
        {
            try
            {
                return route.Handler(call);
            }
            catch (GraphError error)
            {
                return GraphResponse.Error(error.Status, error.Code, error.Message, mailbox.Tenant.Now);
            }
        }
    }

    /// <summary>Like <see cref="Invoke"/>, but a status of 400 or more throws (seeding must not fail silently).</summary>
    public static JsonObject Require(GraphMailbox mailbox, string method, string pathBelowUser, JsonNode? body = null)
    {
        var response = Invoke(mailbox, method, pathBelowUser, body);
        return response.Status >= 400
            ? throw new InvalidOperationException($"seeding {method} {pathBelowUser} on {mailbox.UserPrincipalName} failed: {response.Status} {response.Body?.ToJsonString()}")
            : response.Body as JsonObject ?? [];
    }
}
