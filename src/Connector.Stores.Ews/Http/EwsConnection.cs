using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using Connector.OAuth;
using Connector.Stores.Ews.Operations;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Http;

/// <summary>
/// Sends EWS operations for one identity and one mailbox: writes the SOAP 1.1 envelope (RequestServerVersion,
/// ExchangeImpersonation), adds Basic authentication and X-AnchorMailbox, bounds each request (answer included)
/// by <see cref="EwsConnectionOptions.Timeout"/>, reads the answer with a streaming XmlReader, and turns every
/// failure into a store exception through <see cref="EwsFailurePolicy"/>. With <see cref="EwsConnectionOptions.Retry"/>
/// it repeats a throttled request (every operation: Exchange throttles before doing anything) or a request that
/// failed for a passing reason (reads only: a cut connection leaves a write's outcome unknown, and EWS has no
/// idempotency key), waiting on the back-off shared by the identity and the mailbox (S14); without it, never.
/// </summary>
/// <remarks>
/// The answer is buffered as bytes before parsing (HttpClient's ResponseContentRead): that keeps the time limit
/// and a cut connection in one place, and memory is bounded by the batch size the caller asks for. It is never
/// loaded into a DOM; the parse steps read it forward only.
/// </remarks>
internal sealed class EwsConnection
{
    /// <summary>Sent unless the injected client sets its own, so Exchange's logs can tell the connector's requests apart.</summary>
    public static readonly ProductInfoHeaderValue UserAgent = new("ExchangeNextcloudConnector", "1.0");

    private static readonly MediaTypeHeaderValue ContentType = new("text/xml") { CharSet = "utf-8" };

    private readonly HttpClient http;
    private readonly AuthenticationHeaderValue? authorization;

    public EwsConnection(HttpClient http, EwsConnectionOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        Options = options;
        TimeProvider = timeProvider ?? TimeProvider.System;
        if (options.UserName is not null)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.UserName + ":" + options.Password));
            authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    public EwsConnectionOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Operations that change nothing, and so may be sent again after a cut connection.</summary>
    private static readonly HashSet<string> ReadOnlyOperations = new(StringComparer.Ordinal)
    {
        "GetFolder", "FindFolder", "SyncFolderHierarchy", "SyncFolderItems", "GetItem", "FindItem",
    };

    /// <summary>The identity as named in messages.</summary>
    private string? Identity => Options.Identity ?? Options.UserName;

    /// <summary>
    /// Runs one operation: build, send, parse (again, after waiting, when <see cref="EwsConnectionOptions.Retry"/>
    /// says so). Throws a <see cref="StoreException"/> for anything that stops the request.
    /// </summary>
    public Task<T> SendAsync<T>(IEwsOperation<T> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Options.Retry is { } retry
            ? retry.RunAsync(ct => SendOnceAsync(operation, ct), ReadOnlyOperations.Contains(operation.Name), cancellationToken)
            : SendOnceAsync(operation, cancellationToken);
    }

    private async Task<T> SendOnceAsync<T>(IEwsOperation<T> operation, CancellationToken cancellationToken)
    {
        var body = BuildEnvelope(operation);
        using var request = new HttpRequestMessage(HttpMethod.Post, Options.EwsUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = ContentType;
        request.Headers.Authorization = authorization;
        request.Headers.Accept.ParseAdd("text/xml");
        if (Options.ImpersonatedMailbox is { } mailbox)
        {
            request.Headers.TryAddWithoutValidation("X-AnchorMailbox", mailbox);
        }

        if (http.DefaultRequestHeaders.UserAgent.Count == 0)
        {
            request.Headers.UserAgent.Add(UserAgent);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            if (EwsFailurePolicy.ForStatus(response, operation.Name, Identity, TimeProvider.GetUtcNow()) is { } failure)
            {
                throw failure;
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return ParseEnvelope(stream, operation, isHttpError: response.StatusCode != System.Net.HttpStatusCode.OK);
            }
        }
        catch (EwsServerErrorException error)
        {
            throw EwsFailurePolicy.ForResponseCode(error.ResponseCode, error.MessageText, error.Values, Options.ImpersonatedMailbox, operation.Name, isFault: true)!;
        }
        catch (XmlException ex)
        {
            throw EwsFailurePolicy.ForMalformedAnswer(ex, operation.Name);
        }
        catch (OAuthTokenException ex)
        {
            throw ex.IsCredentialProblem
                ? new CredentialRejectedException($"EWS {operation.Name}: no access token for '{Identity}': {ex.Message} Not retried.", ex)
                : new TransientStoreException($"EWS {operation.Name}: no access token for '{Identity}' right now: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not StoreException && (timeout.IsCancellationRequested || EwsFailurePolicy.IsTransportFailure(ex, cancellationToken)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw EwsFailurePolicy.ForTransportFailure(ex, timeout.IsCancellationRequested, operation.Name);
        }
    }

    /// <summary>The whole request body for <paramref name="operation"/> (UTF-8), as sent.</summary>
    public byte[] BuildEnvelope<T>(IEwsOperation<T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, EwsXml.WriterSettings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("soap", "Envelope", EwsXml.Soap);
            writer.WriteAttributeString("xmlns", "m", null, EwsXml.Messages);
            writer.WriteAttributeString("xmlns", "t", null, EwsXml.Types);
            writer.WriteStartElement("soap", "Header", EwsXml.Soap);
            writer.WriteStartElement("t", "RequestServerVersion", EwsXml.Types);
            writer.WriteAttributeString("Version", Options.ServerVersion);
            writer.WriteEndElement();
            if (Options.ImpersonatedMailbox is { } mailbox)
            {
                writer.WriteStartElement("t", "ExchangeImpersonation", EwsXml.Types);
                writer.WriteStartElement("t", "ConnectingSID", EwsXml.Types);
                EwsXml.WriteTypesElement(writer, "PrimarySmtpAddress", mailbox);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteStartElement("soap", "Body", EwsXml.Soap);
            operation.Build(writer);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    private static T ParseEnvelope<T>(Stream stream, IEwsOperation<T> operation, bool isHttpError)
    {
        using var reader = XmlReader.Create(stream, EwsXml.ReaderSettings);
        reader.MoveToContent();
        if (!EwsXml.Is(reader, EwsXml.Soap, "Envelope"))
        {
            throw EwsFailurePolicy.ForUnexpectedAnswer(operation.Name, $"root element {reader.Name} instead of a SOAP 1.1 envelope");
        }

        var parsed = false;
        T result = default!;
        EwsXml.ForEachChild(reader, part =>
        {
            if (!EwsXml.Is(part, EwsXml.Soap, "Body"))
            {
                return;
            }

            EwsXml.ForEachChild(part, element =>
            {
                if (EwsXml.Is(element, EwsXml.Soap, "Fault"))
                {
                    throw ReadFault(element);
                }

                if (!parsed && !isHttpError)
                {
                    result = operation.Parse(element);
                    parsed = true;
                }
            });
        });

        if (isHttpError)
        {
            throw new TransientStoreException($"EWS {operation.Name}: HTTP 500 without a SOAP fault.");
        }

        return parsed ? result : throw EwsFailurePolicy.ForUnexpectedAnswer(operation.Name, "an empty soap:Body");
    }

    /// <summary>soap:Fault: the code comes from detail/e:ResponseCode, else from faultcode ("a:ErrorServerBusy").</summary>
    private static EwsServerErrorException ReadFault(XmlReader fault)
    {
        string? faultCode = null;
        string? faultString = null;
        string? responseCode = null;
        string? message = null;
        IReadOnlyDictionary<string, string> values = new Dictionary<string, string>();
        EwsXml.ForEachChild(fault, child =>
        {
            switch (child.LocalName)
            {
                case "faultcode":
                    faultCode = EwsXml.ReadText(child);
                    break;
                case "faultstring":
                    faultString = EwsXml.ReadText(child);
                    break;
                case "detail":
                    EwsXml.ForEachChild(child, detail =>
                    {
                        switch (detail.LocalName)
                        {
                            case "ResponseCode":
                                responseCode = EwsXml.ReadText(detail);
                                break;
                            case "Message":
                                message = EwsXml.ReadText(detail);
                                break;
                            case "MessageXml":
                                values = EwsXml.ReadMessageXml(detail);
                                break;
                            default:
                                detail.Skip();
                                break;
                        }
                    });
                    break;
                default:
                    child.Skip();
                    break;
            }
        });

        var code = responseCode ?? faultCode?[(faultCode.IndexOf(':', StringComparison.Ordinal) + 1)..] ?? "ErrorInternalServerError";
        return new EwsServerErrorException(code, faultString ?? message, values);
    }
}
