using System.Text;
using System.Xml;
using System.Xml.Linq;
using Connector.Emulator.Control;
using Connector.Emulator.Ews.Operations;
using Connector.Emulator.Ews.Schema;
using Connector.Emulator.Store;
using Connector.Emulator.Store.Calendar;
using Microsoft.AspNetCore.Http;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Ews;

/// <summary>
/// POST /EWS/Exchange.asmx: authentication, the identity's concurrency budget, schema validation,
/// impersonation, fault injection, the per-mailbox SyncFolderItems budget, latency, the operation,
/// and the answer — in that order, each step answering the way Exchange does.
/// </summary>
internal sealed class EwsEndpoint
{
    private static readonly Dictionary<string, Func<EwsRequestContext, XElement, XElement>> Operations = new(StringComparer.Ordinal)
    {
        ["GetFolder"] = FolderOperations.GetFolder,
        ["FindFolder"] = FolderOperations.FindFolder,
        ["SyncFolderHierarchy"] = FolderOperations.SyncFolderHierarchy,
        ["SyncFolderItems"] = SyncFolderItemsOperation.Execute,
        ["GetItem"] = GetItemOperation.Execute,
        ["FindItem"] = FindItemOperation.Execute,
        ["CreateItem"] = CreateItemOperation.Execute,
        ["UpdateItem"] = UpdateItemOperation.Execute,
        ["DeleteItem"] = DeleteItemOperation.Execute,
    };

    private readonly EmulatorRuntime runtime;

    public EwsEndpoint(EmulatorRuntime runtime)
    {
        this.runtime = runtime;
    }

    public static IReadOnlyCollection<string> SupportedOperations => Operations.Keys;

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var record = new RecordBuilder { Anchor = http.Request.Headers["X-AnchorMailbox"].ToString() is { Length: > 0 } anchor ? anchor : null };
        try
        {
            await HandleCoreAsync(http, record, cancellationToken);
        }
        finally
        {
            runtime.Requests.Add(new RequestRecord(
                runtime.Requests.NextSequence(),
                runtime.Store.Now,
                record.Identity,
                record.Operation,
                record.Mailbox,
                record.Impersonated,
                record.Anchor,
                http.Response.StatusCode,
                record.Fault,
                record.ResponseCodes,
                record.Injected?.ToString()));
        }
    }

    private async Task HandleCoreAsync(HttpContext http, RecordBuilder record, CancellationToken cancellationToken)
    {
        var identity = runtime.Identities.Authenticate(http.Request.Headers.Authorization);
        if (identity is null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.Append("WWW-Authenticate", "Basic realm=\"connector-emulator\"");
            http.Response.Headers.Append("WWW-Authenticate", "Bearer");
            return;
        }

        record.Identity = identity.Name;
        var limit = identity.MaxConcurrentRequests ?? runtime.Options.Throttling.MaxConcurrentRequestsPerIdentity;
        if (!runtime.IdentityBudget.TryEnter(identity.Name, limit))
        {
            await ThrottledAsync(http, record, cancellationToken);
            return;
        }

        try
        {
            var body = await ReadBodyAsync(http.Request, cancellationToken);
            var check = EwsSchema.ValidateEnvelope(body);
            if (check.NotWellFormed is { } notWellFormed)
            {
                await WriteFaultAsync(http, record, Soap.Fault("ErrorInvalidRequest", "The request is invalid.", "The request is invalid: " + notWellFormed.Message), cancellationToken);
                return;
            }

            if (check.Violation is { } violation)
            {
                await WriteFaultAsync(http, record, Soap.SchemaValidationFault(violation), cancellationToken);
                return;
            }

            var envelope = check.Document!.Root!;
            var operationElement = envelope.Name == S + "Envelope" ? envelope.Element(S + "Body")?.Elements().FirstOrDefault() : null;
            if (operationElement is null || operationElement.Name.Namespace != M)
            {
                await WriteFaultAsync(http, record, Soap.Fault("ErrorInvalidRequest", "The request is invalid.", "A SOAP 1.1 envelope with one EWS operation in its body is required."), cancellationToken);
                return;
            }

            var operation = operationElement.Name.LocalName;
            record.Operation = operation;
            EwsRequestContext context;
            try
            {
                context = CreateContext(identity, envelope.Element(S + "Header"), record);
            }
            catch (EwsFault fault)
            {
                await WriteFaultAsync(http, record, Soap.Fault(fault.ResponseCode, fault.Message, fault.Message), cancellationToken);
                return;
            }

            var injected = runtime.Faults.Match(operation, context.Mailbox?.SmtpAddress, FaultPhase.BeforeExecution);
            if (injected is { } before && before != FaultKind.TruncatedXml)
            {
                record.Injected = before;
                await InjectAsync(http, record, before, cancellationToken);
                return;
            }

            if (!Operations.TryGetValue(operation, out var handler))
            {
                await WriteFaultAsync(http, record, Soap.Fault("ErrorInvalidRequest", "The request is invalid.", $"The emulator does not implement the {operation} operation."), cancellationToken);
                return;
            }

            var syncKey = operation == "SyncFolderItems" ? context.Mailbox?.SmtpAddress ?? identity.Name : null;
            if (syncKey is not null && !runtime.SyncBudget.TryEnter(syncKey, runtime.Options.Throttling.MaxConcurrentSyncFolderItemsPerMailbox))
            {
                await ThrottledAsync(http, record, cancellationToken);
                return;
            }

            XDocument response;
            try
            {
                // The latency stands for server work: the request holds its budget slots meanwhile.
                if (runtime.LatencyMilliseconds > 0)
                {
                    await Task.Delay(runtime.LatencyMilliseconds, cancellationToken);
                }

                response = Soap.Envelope(handler(context, operationElement));
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or InvalidOperationException or KeyNotFoundException or NullReferenceException)
            {
                // An emulator bug or a case it does not model: answered as Exchange answers its own failures.
                await WriteFaultAsync(http, record, Soap.Fault("ErrorInternalServerError", "An internal server error occurred. The operation failed.", $"An internal server error occurred. The operation failed. ({ex.GetType().Name}: {ex.Message})"), cancellationToken);
                return;
            }
            finally
            {
                if (syncKey is not null)
                {
                    runtime.SyncBudget.Exit(syncKey);
                }
            }

            record.ResponseCodes = context.ResponseCodes;
            var after = runtime.Faults.Match(operation, context.Mailbox?.SmtpAddress, FaultPhase.AfterExecution) ?? (injected == FaultKind.TruncatedXml ? FaultKind.TruncatedXml : null);
            if (after is { } afterKind && afterKind != FaultKind.TruncatedXml)
            {
                record.Injected = afterKind;
                await InjectAsync(http, record, afterKind, cancellationToken);
                return;
            }

            var bytes = Serialize(response);
            if (runtime.Options.ValidateResponses)
            {
                foreach (var error in EwsSchema.ValidateResponse(Encoding.UTF8.GetString(bytes)))
                {
                    runtime.ResponseViolations.Enqueue($"{operation}: {error}");
                }
            }

            if (after == FaultKind.TruncatedXml)
            {
                record.Injected = FaultKind.TruncatedXml;
                bytes = bytes[..(bytes.Length / 2)];
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "text/xml; charset=utf-8";
            await http.Response.Body.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            runtime.IdentityBudget.Exit(identity.Name);
        }
    }

    private EwsRequestContext CreateContext(EmulatorIdentity identity, XElement? header, RecordBuilder record)
    {
        var version = (string?)header?.Element(T + "RequestServerVersion")?.Attribute("Version") ?? "Exchange2007";
        var contextZoneDefinition = header?.Element(T + "TimeZoneContext")?.Element(T + "TimeZoneDefinition");
        var contextZone = contextZoneDefinition is null ? null : WindowsTimeZones.FromDefinition(contextZoneDefinition);
        var time = new RequestTimeContext(contextZone, version is "Exchange2007" or "Exchange2007_SP1");
        var impersonation = header?.Element(T + "ExchangeImpersonation")?.Element(T + "ConnectingSID");
        Mailbox? mailbox;
        if (impersonation is not null)
        {
            var value = impersonation.Elements().FirstOrDefault();
            mailbox = value?.Name.LocalName switch
            {
                "SID" => runtime.Store.Mailboxes.FirstOrDefault(m => string.Equals(m.Sid, value.Value.Trim(), StringComparison.OrdinalIgnoreCase)),
                null => null,
                _ => runtime.Store.Find(value.Value),
            };
            if (value is null)
            {
                throw new EwsFault("ErrorInvalidExchangeImpersonationHeaderData", "The impersonation header is invalid.");
            }

            if (mailbox is null)
            {
                throw new EwsFault("ErrorNonExistentMailbox", $"The SMTP address has no mailbox associated with it.");
            }

            record.Impersonated = mailbox.SmtpAddress;
            if (!IdentityDirectory.MayImpersonate(identity, mailbox.SmtpAddress))
            {
                throw new EwsFault("ErrorImpersonateUserDenied", "The account does not have permission to impersonate the requested user.");
            }
        }
        else
        {
            mailbox = runtime.Store.Find(identity.Mailbox);
        }

        record.Mailbox = mailbox?.SmtpAddress;
        return new EwsRequestContext(runtime.Store, identity, mailbox, impersonation is not null, version, time);
    }

    private async Task ThrottledAsync(HttpContext http, RecordBuilder record, CancellationToken cancellationToken)
    {
        var throttling = runtime.Options.Throttling;
        if (throttling.Response == ThrottleResponse.Http503)
        {
            record.Fault = "HTTP 503";
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            if (throttling.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return;
        }

        await WriteFaultAsync(http, record, Soap.ServerBusyFault(throttling.BackOffMilliseconds), cancellationToken);
    }

    private async Task InjectAsync(HttpContext http, RecordBuilder record, FaultKind kind, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case FaultKind.ConnectionReset:
                record.Fault = "connection reset";
                http.Abort();
                return;
            case FaultKind.Http500:
                record.Fault = "HTTP 500";
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
                http.Response.ContentType = "text/html";
                await http.Response.WriteAsync("<html><body><h1>500 - Internal server error.</h1></body></html>", cancellationToken);
                return;
            case FaultKind.Http503:
                record.Fault = "HTTP 503";
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            default:
                await WriteFaultAsync(http, record, Soap.ServerBusyFault(runtime.Options.Throttling.BackOffMilliseconds), cancellationToken);
                return;
        }
    }

    private static async Task WriteFaultAsync(HttpContext http, RecordBuilder record, XDocument fault, CancellationToken cancellationToken)
    {
        record.Fault = fault.Descendants("faultcode").FirstOrDefault()?.Value;
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        http.Response.ContentType = "text/xml; charset=utf-8";
        await http.Response.Body.WriteAsync(Serialize(fault), cancellationToken);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public static byte[] Serialize(XDocument document)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            document.Save(writer);
        }

        return buffer.ToArray();
    }

    private sealed class RecordBuilder
    {
        public string? Identity { get; set; }

        public string? Operation { get; set; }

        public string? Mailbox { get; set; }

        public string? Impersonated { get; set; }

        public string? Anchor { get; set; }

        public string? Fault { get; set; }

        public IReadOnlyList<string> ResponseCodes { get; set; } = [];

        public FaultKind? Injected { get; set; }
    }
}
