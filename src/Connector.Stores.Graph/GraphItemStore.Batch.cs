using System.Globalization;
using System.Net;
using System.Text.Json;
using Connector.Stores.Graph.Http;
using Connector.Stores.Graph.Json;
using Connector.Sync.Stores;

namespace Connector.Stores.Graph;

public sealed partial class GraphItemStore
{
    /// <summary>One sub-response of a <c>$batch</c>.</summary>
    private sealed record BatchAnswer(int Status, JsonElement Body, string? ErrorCode, string? ErrorMessage);

    /// <summary>
    /// GETs in <c>$batch</c>es of at most <see cref="GraphStoreOptions.BatchLimit"/>. Graph runs a batch's requests in
    /// any order and in parallel, and every one counts against the mailbox's 4 concurrent requests; so the requests of a
    /// batch are chained into as many lanes (<c>dependsOn</c>) as the mailbox limit allows, and the batch holds that
    /// many permits. A request that failed makes the rest of its lane fail with 424; those are sent again in the
    /// next batch. A throttled sub-request throttles the whole call (the caller's resilience layer waits, S14).
    /// </summary>
    private async Task<Dictionary<string, BatchAnswer>> BatchGetAsync(IReadOnlyList<(string Key, string Url)> requests, CancellationToken cancellationToken)
    {
        var answers = new Dictionary<string, BatchAnswer>(StringComparer.Ordinal);
        var pending = new Queue<(string Key, string Url)>(requests.DistinctBy(r => r.Key, StringComparer.Ordinal));
        var rounds = 0;
        while (pending.Count > 0)
        {
            if (++rounds > requests.Count + 10)
            {
                throw new StoreException("Graph $batch: requests keep failing their dependencies");
            }

            var chunk = new List<(string Key, string Url)>();
            while (chunk.Count < options.BatchLimit && pending.Count > 0)
            {
                chunk.Add(pending.Dequeue());
            }

            var lanes = Math.Min(options.MaxConcurrentRequests, chunk.Count);
            var batch = new GraphBatchRequest();
            for (var i = 0; i < chunk.Count; i++)
            {
                batch.Requests.Add(new GraphBatchRequestItem
                {
                    Id = (i + 1).ToString(CultureInfo.InvariantCulture),
                    Method = "GET",
                    Url = "/" + chunk[i].Url,
                    Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Prefer"] = string.Join(", ", GraphConnection.PreferAlways) },
                    DependsOn = i >= lanes ? [(i + 1 - lanes).ToString(CultureInfo.InvariantCulture)] : null,
                });
            }

            var answer = await connection.SendBatchAsync(batch, lanes, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                throw new StoreException($"Graph $batch: {answer.Describe()}");
            }

            var responses = answer.Read(GraphJsonContext.Default.GraphBatchResponse, "$batch").Responses ?? [];
            var byId = responses.Where(r => r.Id is not null).ToDictionary(r => r.Id!, StringComparer.Ordinal);
            var retryAgain = new List<(string Key, string Url)>();
            for (var i = 0; i < chunk.Count; i++)
            {
                if (!byId.TryGetValue((i + 1).ToString(CultureInfo.InvariantCulture), out var response))
                {
                    throw new TransientStoreException($"Graph $batch: no answer for request {i + 1}");
                }

                switch (response.Status)
                {
                    case 424:
                        retryAgain.Add(chunk[i]);
                        continue;
                    case 429 or 503:
                        var retryAfter = response.Headers?.FirstOrDefault(h => h.Key.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)).Value;
                        throw new ThrottledException($"Graph $batch: request throttled (HTTP {response.Status})", GraphConnection.ParseRetryAfter(retryAfter, DateTimeOffset.UtcNow));
                    case 401 or 403:
                        throw new CredentialRejectedException($"Graph $batch: HTTP {response.Status} for {chunk[i].Url.Split('?')[0]}");
                    case >= 500:
                        throw new TransientStoreException($"Graph $batch: HTTP {response.Status} for {chunk[i].Url.Split('?')[0]}");
                }

                var (code, message) = response.Status is >= 200 and < 300 || response.Body.ValueKind != JsonValueKind.Object
                    ? (null, null)
                    : GraphConnection.ReadError(JsonSerializer.SerializeToUtf8Bytes(response.Body));
                answers[chunk[i].Key] = new BatchAnswer(response.Status, response.Body, code, message);
            }

            foreach (var again in retryAgain)
            {
                pending.Enqueue(again);
            }
        }

        return answers;
    }

    private static bool IsNotFound(BatchAnswer answer) =>
        answer.Status == (int)HttpStatusCode.NotFound || answer.ErrorCode is "ErrorInvalidIdMalformed" or "ErrorInvalidId" or "ErrorItemNotFound";
}
