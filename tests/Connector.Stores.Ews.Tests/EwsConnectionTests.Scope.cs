using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Connector.Emulator;
using Connector.Stores.Ews.Http;
using Connector.Stores.Ews.Operations;

namespace Connector.Stores.Ews.Tests;

/// <summary>
/// The demo-seeded emulator in-process, an HttpClient whose handler validates every request body the EWS layer
/// sends against Microsoft's schema (shared/protocols/ews), and connections for it. On dispose it asserts that no
/// request violated the schema — by our validator and by the emulator's own request log.
/// </summary>
internal sealed class EwsEmulatorScope : IAsyncDisposable
{
    public const string ServiceUser = "svc-sync";
    public const string ServicePassword = "Passw0rd!";
    public const string Alice = "alice@contoso.com";
    public const string Bob = "bob@contoso.com";

    private readonly SchemaValidatingHandler validator;

    private EwsEmulatorScope(ExchangeEmulator emulator, bool allowInvalidRequests)
    {
        Emulator = emulator;
        AllowInvalidRequests = allowInvalidRequests;
        validator = new SchemaValidatingHandler { InnerHandler = new SocketsHttpHandler() };
        Http = new HttpClient(validator) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public ExchangeEmulator Emulator { get; }

    public HttpClient Http { get; }

    public bool AllowInvalidRequests { get; }

    /// <summary>Schema violations our validating handler found in requests.</summary>
    public IReadOnlyCollection<string> RequestViolations => validator.Violations;

    /// <summary>Every request body the handler saw, as sent.</summary>
    public IReadOnlyCollection<string> SentBodies => validator.Bodies;

    public static async Task<EwsEmulatorScope> StartAsync(Action<EmulatorOptions>? configure = null, bool allowInvalidRequests = false)
    {
        var options = new EmulatorOptions { Port = 0, Seed = "demo", ValidateResponses = true };
        configure?.Invoke(options);
        return new EwsEmulatorScope(await ExchangeEmulator.StartAsync(options, CancellationToken.None), allowInvalidRequests);
    }

    /// <summary>A connection as svc-sync impersonating <paramref name="mailbox"/> (or as another identity).</summary>
    public EwsConnection Connect(string? mailbox = Alice, string user = ServiceUser, string password = ServicePassword, TimeSpan? timeout = null) =>
        new(Http, new EwsConnectionOptions
        {
            EwsUrl = Emulator.EwsUri,
            UserName = user,
            Password = password,
            ImpersonatedMailbox = mailbox,
            Timeout = timeout ?? EwsConnectionOptions.DefaultTimeout,
        });

    /// <summary>The folder id of a distinguished folder of <paramref name="mailbox"/>.</summary>
    public async Task<EwsFolderRef> FolderAsync(string distinguished, string mailbox = Alice)
    {
        var folders = await Connect(mailbox).SendAsync(new GetFolderOperation([EwsFolderRef.Distinguished(distinguished)]), CancellationToken.None);
        return EwsFolderRef.ById(folders[0].FolderId!.Id);
    }

    /// <summary>Every item id of a folder, by paging SyncFolderItems from scratch.</summary>
    public async Task<IReadOnlyList<EwsItemId>> ListAsync(EwsFolderRef folder, string mailbox = Alice)
    {
        var connection = Connect(mailbox);
        var ids = new Dictionary<string, EwsItemId>(StringComparer.Ordinal);
        string? state = null;
        SyncFolderItemsResult page;
        do
        {
            page = await connection.SendAsync(new SyncFolderItemsOperation(folder, state), CancellationToken.None);
            foreach (var change in page.Changes)
            {
                if (change.Type == EwsChangeType.Delete)
                {
                    ids.Remove(change.ItemId.Id);
                }
                else
                {
                    ids[change.ItemId.Id] = change.ItemId;
                }
            }

            state = page.SyncState;
        }
        while (!page.IncludesLastItemInRange);

        return ids.Values.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        var requests = Emulator.Requests.Snapshot();
        var responseViolations = Emulator.ResponseSchemaViolations;
        Http.Dispose();
        await Emulator.DisposeAsync();
        if (!AllowInvalidRequests)
        {
            Assert.True(validator.Violations.IsEmpty, "requests that failed schema validation:\n" + string.Join("\n", validator.Violations));
            Assert.DoesNotContain(requests, r => r.Fault is { } fault && fault.Contains("ErrorSchemaValidation", StringComparison.Ordinal));
        }

        Assert.True(responseViolations.Count == 0, "emulator responses that failed schema validation:\n" + string.Join("\n", responseViolations));
    }
}

/// <summary>
/// Validates each request body against messages.xsd + types.xsd from shared/protocols/ews: every element of
/// soap:Header and soap:Body in an EWS namespace, strictly. Violations are collected, the request goes on.
/// </summary>
internal sealed class SchemaValidatingHandler : DelegatingHandler
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(LoadSchemas);

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentQueue<string> Bodies { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            var body = await request.Content.ReadAsStringAsync(cancellationToken);
            Bodies.Enqueue(body);
            foreach (var violation in Validate(body))
            {
                Violations.Enqueue(violation);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }

    public static IReadOnlyList<string> Validate(string body)
    {
        var errors = new List<string>();
        var document = XDocument.Parse(body);
        XNamespace soap = EwsXml.Soap;
        var root = document.Root!;
        if (root.Name != soap + "Envelope")
        {
            return ["not a SOAP 1.1 envelope: " + root.Name];
        }

        var parts = root.Elements().ToList();
        if (parts.Count != 2 || parts[0].Name != soap + "Header" || parts[1].Name != soap + "Body")
        {
            errors.Add("envelope must hold soap:Header then soap:Body");
        }

        foreach (var element in parts.SelectMany(p => p.Elements()))
        {
            var declaration = Schemas.Value.GlobalElements[new XmlQualifiedName(element.Name.LocalName, element.Name.NamespaceName)] as XmlSchemaElement;
            if (declaration is null)
            {
                errors.Add($"{element.Name}: no such global element in the EWS schema");
                continue;
            }

            element.Validate(declaration, Schemas.Value, (_, e) => errors.Add($"{element.Name.LocalName}: {e.Message}"));
        }

        return errors;
    }

    private static XmlSchemaSet LoadSchemas()
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        var path = Path.Combine(SharedFixtures.SharedDirectory, "protocols", "ews", "messages.xsd");
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = new XmlUrlResolver() });
        set.Add(null, reader);
        set.Compile();
        return set;
    }

}
