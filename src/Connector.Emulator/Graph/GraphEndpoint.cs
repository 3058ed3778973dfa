using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Emulator.Control;
using Microsoft.AspNetCore.Http;

namespace Connector.Emulator.Graph;

/// <summary>
/// /v1.0/*: bearer authentication through the identity directory, then per request (and per
/// $batch entry): route, user, permission, the mailbox's rate and concurrency budgets (429 with
/// Retry-After), injected faults, latency, the handler under the mailbox lock, the answer in
/// Graph's JSON — and one request-log record.
/// </summary>
internal sealed class GraphEndpoint
{
    public const int MaxBatchRequests = 20;
    private const string JsonContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly string[] WriteMethods = ["POST", "PATCH", "PUT"];

    private readonly EmulatorRuntime runtime;
    private readonly GraphTenant tenant;
    private readonly GraphThrottle throttle;

    public GraphEndpoint(EmulatorRuntime runtime, GraphTenant tenant)
    {
        this.runtime = runtime;
        this.tenant = tenant;
        throttle = new GraphThrottle(runtime.Options);
    }

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var path = http.Request.Path.Value ?? string.Empty;
        var relative = path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase) ? path[6..] : path.TrimStart('/');
        var serviceRoot = $"{http.Request.Scheme}://{http.Request.Host}/v1.0/";
        var (body, bodyError) = await ReadJsonAsync(http.Request, cancellationToken);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new GraphRequest
        {
            Method = http.Request.Method,
            Path = relative,
            Query = GraphRequest.ParseQuery(http.Request.QueryString.Value ?? string.Empty),
            Headers = headers,
            Body = body,
            BodyError = bodyError,
            ServiceRoot = serviceRoot,
        };

        var identity = http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? runtime.Identities.Authenticate(http.Request.Headers.Authorization)
            : null;
        if (identity is null)
        {
            var empty = string.IsNullOrWhiteSpace(http.Request.Headers.Authorization.ToString());
            var denied = GraphResponse.Error(401, "InvalidAuthenticationToken", empty ? "Access token is empty." : "Access token validation failure. Invalid audience.", tenant.Now)
                .With("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
            Log(null, "Authenticate", null, denied, null);
            await WriteAsync(http, denied, truncate: false, cancellationToken);
            return;
        }

        if (string.Equals(relative, "$batch", StringComparison.OrdinalIgnoreCase))
        {
            await BatchAsync(http, identity, request, cancellationToken);
            return;
        }

        var (response, special) = await ExecuteAsync(identity, request, applyLatency: true, "", cancellationToken);
        if (special == FaultKind.ConnectionReset)
        {
            http.Abort();
            return;
        }

        await WriteAsync(http, response, truncate: special == FaultKind.TruncatedXml, cancellationToken);
    }

    /// <summary>Runs one request through the whole pipeline; a ConnectionReset or TruncatedXml fault is returned for the caller to act on.</summary>
    private async Task<(GraphResponse Response, FaultKind? Special)> ExecuteAsync(EmulatorIdentity identity, GraphRequest request, bool applyLatency, string logPrefix, CancellationToken cancellationToken)
    {
        var now = tenant.Now;
        if (request.Path.Equals("me", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWith("me/", StringComparison.OrdinalIgnoreCase))
        {
            // Tokens here are app-only (client credentials), as the connector's are.
            var me = GraphResponse.Error(400, "BadRequest", "/me request is only valid with delegated authentication flow.", now);
            Log(identity, logPrefix + request.Method + " " + request.Path, null, me, null);
            return (me, null);
        }

        var route = GraphApi.Resolve(request, out var badSegment);
        if (route is null)
        {
            var notFound = GraphResponse.Error(400, "BadRequest", $"Resource not found for the segment '{badSegment}'.", now);
            Log(identity, logPrefix + request.Method + " " + request.Path, null, notFound, null);
            return (notFound, null);
        }

        var operation = logPrefix + route.Operation;
        var mailbox = tenant.Find(route.UserKey);
        if (mailbox is null)
        {
            var unknown = GraphResponse.Error(404, "ErrorInvalidUser", $"The requested user '{route.UserKey}' is invalid.", now);
            Log(identity, operation, route.UserKey, unknown, null);
            return (unknown, null);
        }

        if (!string.Equals(identity.Mailbox, mailbox.UserPrincipalName, StringComparison.OrdinalIgnoreCase) && !IdentityDirectory.MayImpersonate(identity, mailbox.UserPrincipalName))
        {
            var denied = GraphResponse.Error(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.", now);
            Log(identity, operation, mailbox.UserPrincipalName, denied, null);
            return (denied, null);
        }

        // Exchange Online's budgets are per app and mailbox.
        var budget = identity.Name + "|" + mailbox.UserPrincipalName;
        if (throttle.CheckRate(budget, now) is { } rateWait)
        {
            var limited = Throttled("Application is over its MailboxRequests limit.", rateWait, now);
            Log(identity, operation, mailbox.UserPrincipalName, limited, null);
            return (limited, null);
        }

        if (!throttle.TryEnter(budget))
        {
            var busy = Throttled("Application is over its MailboxConcurrency limit.", throttle.ConcurrencyRetryAfter, now);
            Log(identity, operation, mailbox.UserPrincipalName, busy, null);
            return (busy, null);
        }

        FaultKind? injected = null;
        GraphResponse response;
        try
        {
            var before = runtime.Faults.Match(route.Operation, mailbox.UserPrincipalName, FaultPhase.BeforeExecution);
            if (before is { } kind && kind != FaultKind.TruncatedXml)
            {
                injected = kind;
                response = FaultResponse(kind, now);
                Log(identity, operation, mailbox.UserPrincipalName, response, kind);
                return (response, kind == FaultKind.ConnectionReset ? kind : null);
            }

            // The latency stands for server work: the request holds its concurrency slot meanwhile.
            if (applyLatency && runtime.LatencyMilliseconds > 0)
            {
                await Task.Delay(runtime.LatencyMilliseconds, cancellationToken);
            }

            response = Run(mailbox, request, route, operation);
            var after = runtime.Faults.Match(route.Operation, mailbox.UserPrincipalName, FaultPhase.AfterExecution) ?? before;
            if (after is { } afterKind)
            {
                injected = afterKind;
                if (afterKind is not FaultKind.TruncatedXml and not FaultKind.ConnectionReset)
                {
                    response = FaultResponse(afterKind, now);
                }
            }
        }
        finally
        {
            throttle.Exit(budget);
        }

        Log(identity, operation, mailbox.UserPrincipalName, response, injected);
        return (response, injected is FaultKind.ConnectionReset or FaultKind.TruncatedXml ? injected : null);
    }

    private static GraphResponse Run(GraphMailbox mailbox, GraphRequest request, GraphRoute route, string operation)
    {
        var preferences = Preferences(request.Header("Prefer"));
        var applied = new List<string>();
        string? zone = null;
        if (preferences.TryGetValue("outlook.timezone", out var wantedZone) && GraphTimes.FindZone(wantedZone) is not null)
        {
            zone = wantedZone;
            applied.Add($"outlook.timezone=\"{wantedZone}\"");
        }

        string? bodyType = null;
        if (preferences.TryGetValue("outlook.body-content-type", out var wantedBody) && wantedBody.ToLowerInvariant() is "text" or "html")
        {
            bodyType = wantedBody.ToLowerInvariant();
            applied.Add($"outlook.body-content-type=\"{bodyType}\"");
        }

        int? maxPageSize = null;
        if (preferences.TryGetValue("odata.maxpagesize", out var size) && int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var pageSize) && pageSize > 0)
        {
            maxPageSize = pageSize;
            applied.Add("odata.maxpagesize=" + pageSize.ToString(CultureInfo.InvariantCulture));
        }

        if (preferences.TryGetValue("IdType", out var idType) && string.Equals(idType, "ImmutableId", StringComparison.OrdinalIgnoreCase))
        {
            // Ids here never change (no moves between folders), so immutable ids are what every request gets.
            applied.Add("IdType=\"ImmutableId\"");
        }

        var call = new GraphCall
        {
            Mailbox = mailbox,
            Request = request,
            View = new GraphView(zone, bodyType, GraphApi.ParseSelect(request.QueryValue("$select")), GraphJson.ParseExpand(request.QueryValue("$expand"))),
            Operation = operation,
            MaxPageSize = maxPageSize,
        };
        GraphResponse response;
        try
        {
            lock (mailbox.Gate)
            {
                response = route.Handler(call);
            }
        }
        catch (GraphError error)
        {
            response = GraphResponse.Error(error.Status, error.Code, error.Message, mailbox.Tenant.Now);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException or OverflowException or NullReferenceException)
        {
            // An emulator bug or a case it does not model: answered as Graph answers its own failures.
            response = GraphResponse.Error(500, "ErrorInternalServerError", $"An internal server error occurred. The operation failed. ({ex.GetType().Name}: {ex.Message})", mailbox.Tenant.Now);
        }

        if (applied.Count > 0 && response.Status < 400)
        {
            response.With("Preference-Applied", response.Headers.TryGetValue("Preference-Applied", out var already) ? already + ", " + string.Join(", ", applied) : string.Join(", ", applied));
        }

        return response;
    }

    /// <summary>Prefer header values (several headers or comma-separated): name → value without quotes.</summary>
    private static Dictionary<string, string> Preferences(string? header)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(header))
        {
            return result;
        }

        var inQuotes = false;
        var start = 0;
        for (var i = 0; i <= header.Length; i++)
        {
            if (i < header.Length && header[i] == '"')
            {
                inQuotes = !inQuotes;
            }

            if (i == header.Length || (header[i] == ',' && !inQuotes))
            {
                var part = header[start..i].Trim();
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    result[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
                }
                else if (part.Length > 0)
                {
                    result[part] = string.Empty;
                }

                start = i + 1;
            }
        }

        return result;
    }

    private static GraphResponse Throttled(string message, double retryAfter, DateTimeOffset now) =>
        GraphResponse.Error(429, "ApplicationThrottled", message, now).With("Retry-After", GraphResponse.Seconds(retryAfter));

    private GraphResponse FaultResponse(FaultKind kind, DateTimeOffset now) => kind switch
    {
        FaultKind.Http503 => GraphResponse.Error(503, "ServiceUnavailable", "The service is temporarily unavailable. Please try again later.", now)
            .With("Retry-After", GraphResponse.Seconds(runtime.Options.Graph.Throttling.RetryAfterSeconds ?? 1)),
        FaultKind.ServerBusy => Throttled("Application is over its MailboxConcurrency limit.", throttle.ConcurrencyRetryAfter, now),
        _ => GraphResponse.Error(500, "UnknownError", string.Empty, now),
    };

    private async Task BatchAsync(HttpContext http, EmulatorIdentity identity, GraphRequest outer, CancellationToken cancellationToken)
    {
        var now = tenant.Now;
        GraphResponse Invalid(string message)
        {
            var response = GraphResponse.Error(400, "BadRequest", message, now);
            Log(identity, "$batch", null, response, null);
            return response;
        }

        if (!string.Equals(outer.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            await WriteAsync(http, Invalid("The $batch endpoint takes POST."), truncate: false, cancellationToken);
            return;
        }

        if (outer.Body?["requests"] is not JsonArray requests)
        {
            await WriteAsync(http, Invalid(outer.BodyError ?? "Invalid batch payload format: a 'requests' array is required."), truncate: false, cancellationToken);
            return;
        }

        if (requests.Count > MaxBatchRequests)
        {
            await WriteAsync(http, Invalid($"Invalid batch payload format. The number of requests in a batch ({requests.Count}) exceeds the maximum of {MaxBatchRequests}."), truncate: false, cancellationToken);
            return;
        }

        var entries = new List<(string Id, GraphRequest Request, List<string> DependsOn)>();
        foreach (var node in requests)
        {
            var id = node?["id"]?.ToString();
            var method = node?["method"]?.GetValue<string>();
            var url = node?["url"]?.GetValue<string>();
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(method) || string.IsNullOrEmpty(url))
            {
                await WriteAsync(http, Invalid("Invalid batch payload format: every request needs id, method and url."), truncate: false, cancellationToken);
                return;
            }

            if (entries.Any(e => e.Id == id))
            {
                await WriteAsync(http, Invalid($"Invalid batch payload format: the request id '{id}' is used twice."), truncate: false, cancellationToken);
                return;
            }

            var subHeaders = (node!["headers"] as JsonObject ?? [])
                .ToDictionary(h => h.Key, h => h.Value?.ToString() ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var body = node["body"];
            if (WriteMethods.Contains(method.ToUpperInvariant()) && body is not null && !subHeaders.ContainsKey("Content-Type"))
            {
                await WriteAsync(http, Invalid($"Write request id : {id} does not contain Content-Type header or body."), truncate: false, cancellationToken);
                return;
            }

            var dependsOn = (node["dependsOn"] as JsonArray ?? []).Select(d => d?.ToString() ?? string.Empty).ToList();
            if (dependsOn.Any(d => !entries.Any(e => e.Id == d)))
            {
                await WriteAsync(http, Invalid($"Invalid batch payload format: request '{id}' depends on a request that does not precede it."), truncate: false, cancellationToken);
                return;
            }

            if (url.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                await WriteAsync(http, Invalid($"Invalid batch payload format: the url of request '{id}' must be relative to the version (\"/users/...\")."), truncate: false, cancellationToken);
                return;
            }

            var relative = url.TrimStart('/');
            if (relative.StartsWith("v1.0/", StringComparison.OrdinalIgnoreCase))
            {
                relative = relative[5..];
            }

            var question = relative.IndexOf('?', StringComparison.Ordinal);
            entries.Add((id, new GraphRequest
            {
                Method = method,
                Path = question < 0 ? relative : relative[..question],
                Query = GraphRequest.ParseQuery(question < 0 ? string.Empty : relative[question..]),
                Headers = subHeaders,
                Body = body?.DeepClone(),
                ServiceRoot = outer.ServiceRoot,
            }, dependsOn));
        }

        Log(identity, "$batch", null, new GraphResponse(200), null);
        if (runtime.LatencyMilliseconds > 0)
        {
            await Task.Delay(runtime.LatencyMilliseconds, cancellationToken);
        }

        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var responses = new JsonArray();
        foreach (var (id, request, dependsOn) in entries)
        {
            GraphResponse response;
            if (dependsOn.Any(d => statuses[d] >= 400))
            {
                response = GraphResponse.Error(424, "FailedDependency", "The request could not be run because a request it depends on failed.", tenant.Now);
            }
            else
            {
                var (result, special) = await ExecuteAsync(identity, request, applyLatency: false, "$batch/", cancellationToken);
                if (special == FaultKind.ConnectionReset)
                {
                    http.Abort();
                    return;
                }

                response = result;
            }

            statuses[id] = response.Status;
            var entry = new JsonObject { ["id"] = id, ["status"] = response.Status };
            if (response.Headers.Count > 0 || response.Body is not null)
            {
                var headers = new JsonObject();
                foreach (var (name, value) in response.Headers)
                {
                    headers[name] = value;
                }

                if (response.Body is not null)
                {
                    headers["Content-Type"] = JsonContentType;
                }

                entry["headers"] = headers;
            }

            entry["body"] = response.Body?.DeepClone();
            responses.Add(entry);
        }

        await WriteAsync(http, new GraphResponse(200, new JsonObject { ["responses"] = responses }), truncate: false, cancellationToken);
    }

    private static async Task<(JsonNode? Body, string? Error)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        try
        {
            return (JsonNode.Parse(text), null);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message);
        }
    }

    private static async Task WriteAsync(HttpContext http, GraphResponse response, bool truncate, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = response.Status;
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["request-id"] = requestId;
        http.Response.Headers["client-request-id"] = http.Request.Headers["client-request-id"].ToString() is { Length: > 0 } client ? client : requestId;
        foreach (var (name, value) in response.Headers)
        {
            http.Response.Headers[name] = value;
        }

        if (response.Body is null)
        {
            return;
        }

        http.Response.ContentType = JsonContentType;
        var bytes = Encoding.UTF8.GetBytes(response.Body.ToJsonString(Json));
        if (truncate)
        {
            bytes = bytes[..(bytes.Length / 2)];
        }

        await http.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    private void Log(EmulatorIdentity? identity, string operation, string? mailbox, GraphResponse response, FaultKind? injected) =>
        runtime.Requests.Add(new RequestRecord(
            runtime.Requests.NextSequence(),
            tenant.Now,
            identity?.Name,
            "Graph " + operation,
            mailbox,
            null,
            null,
            response.Status,
            response.ErrorCode,
            [],
            injected?.ToString()));
}
