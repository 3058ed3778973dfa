using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Connector.Host.Hosting;

namespace Connector.Host.Tests.Hosting;

public class WebhookEndpointTests
{
    private const string Body = "{\"event\":\"user.changed\",\"userId\":\"alice\"}";

    [Fact]
    public async Task Webhook_ValidSignature_NudgesTheUser()
    {
        await using var host = await TestConnectorHost.StartAsync();

        using var response = await PostAsync(host, Body, TestConnectorHost.Secret, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("nudged").GetBoolean());
        var nudge = Assert.Single(host.Nudger.Nudges);
        Assert.Equal("alice", nudge.UserId);
        Assert.Equal("webhook: user.changed", nudge.Reason);
    }

    [Fact]
    public async Task Webhook_UnknownUser_AcceptedButNotNudged()
    {
        await using var host = await TestConnectorHost.StartAsync();

        using var response = await PostAsync(host, "{\"event\":\"consent.changed\",\"userId\":\"newcomer\"}", TestConnectorHost.Secret, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("nudged").GetBoolean());
    }

    [Fact]
    public async Task Webhook_WrongSecret_Returns401AndDoesNotNudge()
    {
        await using var host = await TestConnectorHost.StartAsync();

        using var response = await PostAsync(host, Body, "some-other-secret-0123456789", DateTimeOffset.UtcNow);

        await AssertRefusedAsync(host, response, "does not match");
    }

    [Fact]
    public async Task Webhook_TamperedBody_Returns401AndDoesNotNudge()
    {
        await using var host = await TestConnectorHost.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign(TestConnectorHost.Secret, now.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(Body));

        using var response = await SendAsync(host, Body.Replace("alice", "mallory", StringComparison.Ordinal), now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), signature);

        await AssertRefusedAsync(host, response, "does not match");
    }

    [Fact]
    public async Task Webhook_TimestampSixMinutesOld_Returns401()
    {
        await using var host = await TestConnectorHost.StartAsync();

        using var response = await PostAsync(host, Body, TestConnectorHost.Secret, DateTimeOffset.UtcNow.AddMinutes(-6));

        await AssertRefusedAsync(host, response, "5 minutes");
    }

    [Fact]
    public async Task Webhook_TimestampSixMinutesAhead_Returns401()
    {
        await using var host = await TestConnectorHost.StartAsync();

        using var response = await PostAsync(host, Body, TestConnectorHost.Secret, DateTimeOffset.UtcNow.AddMinutes(6));

        await AssertRefusedAsync(host, response, "5 minutes");
    }

    [Fact]
    public async Task Webhook_MissingTimestampHeader_Returns401()
    {
        await using var host = await TestConnectorHost.StartAsync();
        var signature = WebhookSignature.Sign(TestConnectorHost.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(Body));

        using var response = await SendAsync(host, Body, timestamp: null, signature);

        await AssertRefusedAsync(host, response, WebhookSignature.TimestampHeader);
    }

    [Fact]
    public async Task Webhook_MissingSignatureHeader_Returns401()
    {
        await using var host = await TestConnectorHost.StartAsync();

        using var response = await SendAsync(host, Body, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), signature: null);

        await AssertRefusedAsync(host, response, WebhookSignature.SignatureHeader);
    }

    [Fact]
    public async Task Webhook_NoSecretConfigured_Returns404()
    {
        await using var host = await TestConnectorHost.StartAsync(new Dictionary<string, string?> { ["Service:SharedSecret"] = null });

        using var response = await PostAsync(host, Body, TestConnectorHost.Secret, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Service__SharedSecret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Nudger.Nudges);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"event\":\"user.changed\"}")]
    [InlineData("{\"event\":\"\",\"userId\":\"alice\"}")]
    [InlineData("{\"event\":\"user.changed\",\"userId\":42}")]
    public async Task Webhook_SignedButMalformedBody_Returns400(string body)
    {
        await using var host = await TestConnectorHost.StartAsync();

        using var response = await PostAsync(host, body, TestConnectorHost.Secret, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Nudger.Nudges);
    }

    [Fact]
    public async Task Webhook_BodyOverLimit_Returns413()
    {
        await using var host = await TestConnectorHost.StartAsync();
        var body = "{\"event\":\"user.changed\",\"userId\":\"" + new string('a', 20_000) + "\"}";

        using var response = await PostAsync(host, body, TestConnectorHost.Secret, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(host.Nudger.Nudges);
    }

    private static Task<HttpResponseMessage> PostAsync(TestConnectorHost host, string body, string secret, DateTimeOffset sentAt)
    {
        var timestamp = sentAt.ToUnixTimeSeconds();
        return SendAsync(host, body, timestamp.ToString(CultureInfo.InvariantCulture), WebhookSignature.Sign(secret, timestamp, Encoding.UTF8.GetBytes(body)));
    }

    private static async Task<HttpResponseMessage> SendAsync(TestConnectorHost host, string body, string? timestamp, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/webhook", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (timestamp is not null)
        {
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        }

        if (signature is not null)
        {
            request.Headers.Add(WebhookSignature.SignatureHeader, signature);
        }

        return await host.Client.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(TestConnectorHost host, HttpResponseMessage response, string expectedInError)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(expectedInError, json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Nudger.Nudges);
        Assert.Contains("Webhook refused", host.Log.ToString(), StringComparison.Ordinal);
    }
}
