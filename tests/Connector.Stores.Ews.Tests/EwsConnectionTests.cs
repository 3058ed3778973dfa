using System.Xml;
using Connector.Emulator;
using Connector.Stores.Ews.Http;
using Connector.Stores.Ews.Operations;
using Connector.Sync.Stores;

namespace Connector.Stores.Ews.Tests;

public sealed class EwsConnectionTests
{
    private static GetFolderOperation Calendar() => new([EwsFolderRef.Distinguished(EwsFolderRef.Calendar)]);

    [Fact]
    public async Task S16_WrongPassword_IsCredentialRejected()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var ex = await Assert.ThrowsAsync<CredentialRejectedException>(() => scope.Connect(password: "wrong").SendAsync(Calendar(), CancellationToken.None));

        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", ex.Message, StringComparison.Ordinal);
        Assert.Single(scope.Emulator.Requests.Snapshot()); // one request, no retry
    }

    [Fact]
    public async Task ImpersonationDenied_IsMailboxAccessErrorNamingTheMailbox()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var alice = scope.Connect(EwsEmulatorScope.Bob, user: EwsEmulatorScope.Alice, password: "demo");

        var ex = await Assert.ThrowsAsync<EwsMailboxAccessException>(() => alice.SendAsync(Calendar(), CancellationToken.None));

        Assert.Equal("ErrorImpersonateUserDenied", ex.ResponseCode);
        Assert.Equal(EwsEmulatorScope.Bob, ex.Mailbox);
        Assert.Contains(EwsEmulatorScope.Bob, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMailbox_IsMailboxAccessError()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var ex = await Assert.ThrowsAsync<EwsMailboxAccessException>(() => scope.Connect("nobody@contoso.com").SendAsync(Calendar(), CancellationToken.None));

        Assert.Equal("ErrorNonExistentMailbox", ex.ResponseCode);
        Assert.Contains("nobody@contoso.com", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S14_ServerBusyFault_IsThrottledWithBackOff()
    {
        await using var scope = await EwsEmulatorScope.StartAsync(o => o.Throttling.BackOffMilliseconds = 1500);
        scope.Emulator.Faults.Next(1, FaultKind.ServerBusy, "SyncFolderItems");

        var ex = await Assert.ThrowsAsync<ThrottledException>(() => scope.Connect().SendAsync(new SyncFolderItemsOperation(EwsFolderRef.Distinguished("calendar"), null), CancellationToken.None));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), ex.RetryAfter);
        Assert.Contains(EwsEmulatorScope.Alice, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S14_ConcurrencyBudgetExceeded_IsThrottledWithBackOff()
    {
        await using var scope = await EwsEmulatorScope.StartAsync(o =>
        {
            o.LatencyMilliseconds = 300;
            o.Throttling.MaxConcurrentRequestsPerIdentity = 1;
            o.Throttling.BackOffMilliseconds = 750;
        });
        var connection = scope.Connect();

        var calls = Enumerable.Range(0, 3).Select(_ => Capture(connection.SendAsync(Calendar(), CancellationToken.None))).ToList();
        var outcomes = await Task.WhenAll(calls);

        Assert.Contains(outcomes, o => o is null);
        var throttled = Assert.IsType<ThrottledException>(outcomes.First(o => o is not null));
        Assert.Equal(TimeSpan.FromMilliseconds(750), throttled.RetryAfter);
    }

    [Fact]
    public async Task S14_Http503WithRetryAfter_IsThrottledWithRetryAfter()
    {
        await using var scope = await EwsEmulatorScope.StartAsync(o =>
        {
            o.LatencyMilliseconds = 300;
            o.Throttling.MaxConcurrentRequestsPerIdentity = 1;
            o.Throttling.Response = ThrottleResponse.Http503;
            o.Throttling.RetryAfterSeconds = 7;
        });
        var connection = scope.Connect();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Capture(connection.SendAsync(Calendar(), CancellationToken.None))));

        var throttled = Assert.IsType<ThrottledException>(outcomes.First(o => o is not null));
        Assert.Equal(TimeSpan.FromSeconds(7), throttled.RetryAfter);
        Assert.Contains("503", throttled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S14_Http503_IsThrottledWithoutHint()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        scope.Emulator.Faults.Next(1, FaultKind.Http503);

        var ex = await Assert.ThrowsAsync<ThrottledException>(() => scope.Connect().SendAsync(Calendar(), CancellationToken.None));

        Assert.Null(ex.RetryAfter);
    }

    [Theory]
    [InlineData(FaultKind.Http500)]
    [InlineData(FaultKind.ConnectionReset)]
    [InlineData(FaultKind.TruncatedXml)]
    public async Task BrokenAnswer_IsTransient(FaultKind fault)
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        scope.Emulator.Faults.Next(1, fault);

        await Assert.ThrowsAsync<TransientStoreException>(() => scope.Connect().SendAsync(new SyncFolderItemsOperation(EwsFolderRef.Distinguished("calendar"), null), CancellationToken.None));

        // The session is fine: the next request works.
        var folders = await scope.Connect().SendAsync(Calendar(), CancellationToken.None);
        Assert.True(folders[0].Found);
    }

    [Fact]
    public async Task SlowServer_IsTransientAfterTimeLimit()
    {
        await using var scope = await EwsEmulatorScope.StartAsync(o => o.LatencyMilliseconds = 2000);

        var ex = await Assert.ThrowsAsync<TransientStoreException>(() => scope.Connect(timeout: TimeSpan.FromMilliseconds(200)).SendAsync(Calendar(), CancellationToken.None));

        Assert.Contains("time limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancels_IsCancellationNotAStoreFailure()
    {
        await using var scope = await EwsEmulatorScope.StartAsync(o => o.LatencyMilliseconds = 2000);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scope.Connect().SendAsync(Calendar(), cancel.Token));
    }

    [Fact]
    public async Task SchemaViolation_IsNonTransientWithViolationText()
    {
        await using var scope = await EwsEmulatorScope.StartAsync(allowInvalidRequests: true);

        var ex = await Assert.ThrowsAsync<StoreException>(() => scope.Connect().SendAsync(new InvalidOperation(), CancellationToken.None));

        Assert.IsNotType<TransientStoreException>(ex);
        Assert.IsNotType<ThrottledException>(ex);
        Assert.Contains("ErrorSchemaValidation", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Bogus", ex.Message, StringComparison.Ordinal);
        Assert.Contains(scope.RequestViolations, v => v.Contains("Bogus", StringComparison.Ordinal)); // the test validator sees it too
        Assert.Single(scope.Emulator.Requests.Snapshot()); // never retried
    }

    [Fact]
    public async Task EveryOperation_RequestsValidateAgainstSchema()
    {
        await using var scope = await EwsEmulatorScope.StartAsync();
        var connection = scope.Connect();
        var calendar = await scope.FolderAsync("calendar");
        var ids = await scope.ListAsync(calendar);
        await connection.SendAsync(new SyncFolderItemsOperation(calendar, null, 1), CancellationToken.None);
        await connection.SendAsync(new GetItemOperation<string>(ids, r => { r.Skip(); return "x"; }), CancellationToken.None);
        await connection.SendAsync(new DeleteItemOperation([ids[0] with { ChangeKey = null }, ids[1]]), CancellationToken.None);

        Assert.True(scope.SentBodies.Count >= 5);
        Assert.All(scope.SentBodies, body => Assert.Empty(SchemaValidatingHandler.Validate(body)));
    }

    [Theory]
    [InlineData("7", 7.0)]
    [InlineData("1.5", 1.5)]
    [InlineData(" 0 ", 0.0)]
    public void ParseRetryAfter_Seconds(string value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), EwsFailurePolicy.ParseRetryAfter(value, DateTimeOffset.UnixEpoch));

    [Fact]
    public void ParseRetryAfter_HttpDate_RelativeToNow()
    {
        var now = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(30), EwsFailurePolicy.ParseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now));
        Assert.Null(EwsFailurePolicy.ParseRetryAfter("soon", now));
    }

    [Theory]
    [InlineData("ErrorItemNotFound", false)]
    [InlineData("ErrorInvalidSyncStateData", false)]
    [InlineData("ErrorServerBusy", true)]
    [InlineData("ErrorMailboxStoreUnavailable", true)]
    [InlineData("ErrorSchemaValidation", true)]
    public void StopsRequest_SeparatesRequestLevelFromPerItemCodes(string code, bool stops) =>
        Assert.Equal(stops, EwsFailurePolicy.StopsRequest(code));

    private static async Task<Exception?> Capture(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (StoreException ex)
        {
            return ex;
        }
    }

    /// <summary>An operation the schema refuses, to see how ErrorSchemaValidation comes back.</summary>
    private sealed class InvalidOperation : IEwsOperation<int>
    {
        public string Name => "GetFolder";

        public void Build(XmlWriter writer)
        {
            writer.WriteStartElement("m", "GetFolder", EwsXml.Messages);
            writer.WriteStartElement("m", "Bogus", EwsXml.Messages);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        public int Parse(XmlReader reader) => 0;
    }
}
