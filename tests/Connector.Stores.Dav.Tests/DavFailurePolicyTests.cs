using System.Net;
using Connector.Stores.Dav.Http;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Tests;

public sealed class DavFailurePolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("120", 120.0)]
    [InlineData("0", 0.0)]
    [InlineData("1.5", 1.5)]
    [InlineData(" 0.25 ", 0.25)]
    [InlineData("Mon, 10 Mar 2025 12:00:30 GMT", 30.0)]
    [InlineData("Mon, 10 Mar 2025 11:00:00 GMT", 0.0)]
    [InlineData("999999999", 86400.0)]
    public void S14_ParseRetryAfter_SecondsFractionsAndDates(string header, double expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), DavFailurePolicy.ParseRetryAfter(header, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void S14_ParseRetryAfter_Unreadable_IsNull(string? header)
    {
        Assert.Null(DavFailurePolicy.ParseRetryAfter(header, Now));
    }

    [Theory]
    [InlineData(401, typeof(CredentialRejectedException))]
    [InlineData(407, typeof(CredentialRejectedException))]
    [InlineData(429, typeof(ThrottledException))]
    [InlineData(503, typeof(ThrottledException))]
    [InlineData(500, typeof(TransientStoreException))]
    [InlineData(502, typeof(TransientStoreException))]
    [InlineData(504, typeof(TransientStoreException))]
    [InlineData(408, typeof(TransientStoreException))]
    public void ForStatus_StoppingStatus_IsTheRightException(int status, Type expected)
    {
        using var response = Response(status);

        Assert.IsType(expected, DavFailurePolicy.ForStatus(response, Now));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(207)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    [InlineData(501)]
    [InlineData(507)]
    public void ForStatus_AnswerTheOperationReads_IsNull(int status)
    {
        using var response = Response(status);

        Assert.Null(DavFailurePolicy.ForStatus(response, Now));
    }

    [Fact]
    public void S14_ForStatus_503WithDate_CarriesTheWait()
    {
        using var response = Response(503);
        response.Headers.TryAddWithoutValidation("Retry-After", "Mon, 10 Mar 2025 12:02:00 GMT");

        var thrown = Assert.IsType<ThrottledException>(DavFailurePolicy.ForStatus(response, Now));

        Assert.Equal(TimeSpan.FromMinutes(2), thrown.RetryAfter);
    }

    [Fact]
    public void ForStatus_Message_NamesPathButNeverCredentialsOrQuery()
    {
        using var response = Response(401);
        response.RequestMessage = new HttpRequestMessage(HttpMethod.Get, "http://alice:secret@dav.invalid/cal/x.ics?token=hidden");

        var message = DavFailurePolicy.ForStatus(response, Now)!.Message;

        Assert.Contains("/cal/x.ics", message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsTransportFailure_CallerCancelled_IsNotTransient()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(DavFailurePolicy.IsTransportFailure(new OperationCanceledException(), cancelled.Token));
        Assert.True(DavFailurePolicy.IsTransportFailure(new OperationCanceledException(), CancellationToken.None));
        Assert.True(DavFailurePolicy.IsTransportFailure(new HttpRequestException("reset"), CancellationToken.None));
        Assert.True(DavFailurePolicy.IsTransportFailure(new IOException("The response ended prematurely."), CancellationToken.None));
        Assert.False(DavFailurePolicy.IsTransportFailure(new InvalidOperationException(), CancellationToken.None));
    }

    private static HttpResponseMessage Response(int status) =>
        new((HttpStatusCode)status) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, "http://dav.invalid/cal/") };
}
