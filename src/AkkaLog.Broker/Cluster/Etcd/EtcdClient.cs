using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AkkaLog.Broker.Cluster.Etcd;

/// <summary>
/// A small etcd v3 client over the JSON gateway that every etcd 3.4+ server exposes on its client
/// port (<c>POST /v3/kv/range</c>, <c>/v3/kv/txn</c>, <c>/v3/lease/grant</c>, <c>/v3/watch</c>, ...):
/// System.Net.Http and System.Text.Json only, because no etcd package can be restored here. Keys and
/// values travel base64-encoded; 64-bit numbers arrive as JSON strings and fields equal to their
/// default (false, 0, empty) are left out, as protobuf's JSON mapping does.
/// <para>
/// Several endpoints may be given: a request that cannot reach one (connection refused, timeout)
/// moves on to the next; when none answers the call throws <see cref="EtcdException"/> with
/// <see cref="EtcdException.IsUnavailable"/> set. Unary calls time out after
/// <see cref="RequestTimeout"/> per endpoint unless the caller gives a shorter bound (lease renewals
/// do: see <see cref="LeaseTiming"/>); watches stream until cancelled or the connection drops.
/// Written for AkkaLog (see Cluster/README.md); thread-safe.
/// </para>
/// </summary>
public sealed partial class EtcdClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri[] _endpoints;
    private int _current;

    /// <summary>Creates a client for <paramref name="endpoints"/> (e.g. <c>http://127.0.0.1:2379</c>).</summary>
    public EtcdClient(IEnumerable<string> endpoints, TimeSpan? requestTimeout = null)
    {
        _endpoints = endpoints.Select(ParseEndpoint).ToArray();
        if (_endpoints.Length == 0) throw new ArgumentException("at least one etcd endpoint is needed", nameof(endpoints));
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>How long a unary call may take on one endpoint.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>The endpoints, as given.</summary>
    public IReadOnlyList<Uri> Endpoints => _endpoints;

    private static Uri ParseEndpoint(string endpoint)
    {
        string text = endpoint.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "http")
            throw new ArgumentException($"etcd endpoint '{endpoint}' is not http://host:port");
        return uri;
    }

    /// <summary>Reads one key, or null when absent.</summary>
    public async Task<EtcdKeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var result = await RangeAsync(key, prefix: false, cancellationToken).ConfigureAwait(false);
        return result.Kvs.Count == 0 ? null : result.Kvs[0];
    }

    /// <summary>Reads a key, or every key starting with <paramref name="key"/> when <paramref name="prefix"/> is set.</summary>
    public async Task<EtcdRangeResult> RangeAsync(string key, bool prefix, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["key"] = B64(key) };
        if (prefix) body["range_end"] = B64(PrefixEnd(key));
        using var doc = await CallAsync("/v3/kv/range", body, cancellationToken).ConfigureAwait(false);
        return new EtcdRangeResult(HeaderRevision(doc.RootElement), ReadKvs(doc.RootElement));
    }

    /// <summary>Writes a key (attached to <paramref name="lease"/> when non-zero); returns the new store revision.</summary>
    public async Task<long> PutAsync(string key, byte[] value, long lease = 0, CancellationToken cancellationToken = default)
    {
        var body = PutBody(new EtcdOp.Put(key, value, lease));
        using var doc = await CallAsync("/v3/kv/put", body, cancellationToken).ConfigureAwait(false);
        return HeaderRevision(doc.RootElement);
    }

    /// <summary>Deletes a key (or a prefix); returns how many keys were deleted.</summary>
    public async Task<long> DeleteAsync(string key, bool prefix = false, CancellationToken cancellationToken = default)
    {
        var body = DeleteBody(new EtcdOp.Delete(key, prefix));
        using var doc = await CallAsync("/v3/kv/deleterange", body, cancellationToken).ConfigureAwait(false);
        return Long(doc.RootElement, "deleted");
    }

    /// <summary>
    /// Runs <paramref name="success"/> if every compare holds, else <paramref name="failure"/>, atomically:
    /// the compare-and-swap primitive the metadata store builds on.
    /// </summary>
    public async Task<EtcdTxnResult> TxnAsync(IEnumerable<EtcdCompare> compares, IEnumerable<EtcdOp> success,
        IEnumerable<EtcdOp>? failure = null, CancellationToken cancellationToken = default, TimeSpan? attemptTimeout = null)
    {
        var body = new JsonObject
        {
            ["compare"] = new JsonArray(compares.Select(CompareBody).ToArray<JsonNode?>()),
            ["success"] = new JsonArray(success.Select(OpBody).ToArray<JsonNode?>()),
            ["failure"] = new JsonArray((failure ?? []).Select(OpBody).ToArray<JsonNode?>()),
        };
        using var doc = await CallAsync("/v3/kv/txn", body, cancellationToken, attemptTimeout).ConfigureAwait(false);
        var root = doc.RootElement;
        bool succeeded = root.TryGetProperty("succeeded", out var s) && s.GetBoolean();
        var ranges = new List<IReadOnlyList<EtcdKeyValue>>();
        if (root.TryGetProperty("responses", out var responses))
            foreach (var response in responses.EnumerateArray())
                if (response.TryGetProperty("response_range", out var range)) ranges.Add(ReadKvs(range));
        return new EtcdTxnResult(succeeded, HeaderRevision(root), ranges);
    }

    /// <summary>Grants a lease of <paramref name="ttlSeconds"/>; returns its id.</summary>
    public async Task<long> GrantLeaseAsync(long ttlSeconds, CancellationToken cancellationToken = default, TimeSpan? attemptTimeout = null)
    {
        using var doc = await CallAsync("/v3/lease/grant", new JsonObject { ["TTL"] = ttlSeconds.ToString(CultureInfo.InvariantCulture) },
            cancellationToken, attemptTimeout).ConfigureAwait(false);
        if (doc.RootElement.TryGetProperty("error", out var error) && error.GetString() is { Length: > 0 } e)
            throw new EtcdException($"etcd refused the lease: {e}", isUnavailable: false);
        return Long(doc.RootElement, "ID");
    }

    /// <summary>
    /// Renews a lease once; returns the TTL it now has, or 0 when the lease no longer exists
    /// (it expired: every key attached to it is gone).
    /// </summary>
    public Task<long> KeepAliveOnceAsync(long lease, CancellationToken cancellationToken = default) =>
        KeepAliveOnceAsync(lease, RequestTimeout, cancellationToken);

    /// <summary>
    /// Renews a lease once, giving each endpoint at most <paramref name="attemptTimeout"/> (lease renewals
    /// must fail over well inside the TTL); returns the TTL it now has, or 0 when the lease no longer exists.
    /// </summary>
    public async Task<long> KeepAliveOnceAsync(long lease, TimeSpan attemptTimeout, CancellationToken cancellationToken = default)
    {
        using var doc = await CallAsync("/v3/lease/keepalive", new JsonObject { ["ID"] = lease.ToString(CultureInfo.InvariantCulture) },
            cancellationToken, attemptTimeout).ConfigureAwait(false);
        var root = doc.RootElement;
        return root.TryGetProperty("result", out var result) ? Long(result, "TTL") : 0;
    }

    /// <summary>Revokes a lease, deleting its keys at once; a lease already gone is not an error.</summary>
    public async Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default)
    {
        try
        {
            using var _ = await CallAsync("/v3/lease/revoke", new JsonObject { ["ID"] = lease.ToString(CultureInfo.InvariantCulture) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (EtcdException e) when (e.IsLeaseNotFound)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends one unary request, trying each endpoint once (starting with the last that answered), each for
    /// at most <paramref name="attemptTimeout"/> (<see cref="RequestTimeout"/> when null).
    /// </summary>
    private async Task<JsonDocument> CallAsync(string path, JsonObject body, CancellationToken cancellationToken, TimeSpan? attemptTimeout = null)
    {
        string json = body.ToJsonString();
        Exception? last = null;
        for (int attempt = 0; attempt < _endpoints.Length; attempt++)
        {
            int index = (Volatile.Read(ref _current) + attempt) % _endpoints.Length;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(attemptTimeout ?? RequestTimeout);
            try
            {
                using var content = new StringContent(json, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.PostAsync(new Uri(_endpoints[index], path), content, timeout.Token).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                var doc = ParseReply(bytes, path, response.StatusCode);
                Volatile.Write(ref _current, index);
                return doc;
            }
            catch (Exception e) when (e is HttpRequestException or IOException
                                          || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e;
            }
        }
        throw new EtcdException($"no etcd endpoint answered {path} ({string.Join(", ", _endpoints.Select(e => e.Authority))}): {last?.Message}",
            isUnavailable: true, last);
    }

    private static JsonDocument ParseReply(byte[] bytes, string path, System.Net.HttpStatusCode status)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes); }
        catch (JsonException e)
        {
            throw new EtcdException($"etcd answered {path} with HTTP {(int)status} and no JSON", isUnavailable: (int)status >= 500, e);
        }
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number
            && code.GetInt32() != 0)
        {
            string message = root.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            int grpc = code.GetInt32();
            doc.Dispose();
            // 14 = UNAVAILABLE, 4 = DEADLINE_EXCEEDED: etcd itself is between leaders or overloaded.
            throw new EtcdException($"etcd {path}: {message}", isUnavailable: grpc is 14 or 4, grpcCode: grpc);
        }
        return doc;
    }

    internal static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>The range end that makes [key, end) every key with <paramref name="prefix"/>.</summary>
    internal static string PrefixEnd(string prefix)
    {
        var bytes = Encoding.UTF8.GetBytes(prefix);
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return Encoding.UTF8.GetString(bytes, 0, i + 1);
            }
        }
        return "\0"; // every key
    }

    internal static long Long(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return 0;
        return value.ValueKind == JsonValueKind.String
            ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : value.GetInt64();
    }

    internal static long HeaderRevision(JsonElement root) =>
        root.TryGetProperty("header", out var header) ? Long(header, "revision") : 0;

    internal static IReadOnlyList<EtcdKeyValue> ReadKvs(JsonElement element)
    {
        if (!element.TryGetProperty("kvs", out var kvs)) return [];
        var list = new List<EtcdKeyValue>();
        foreach (var kv in kvs.EnumerateArray()) list.Add(ReadKv(kv));
        return list;
    }

    internal static EtcdKeyValue ReadKv(JsonElement kv)
    {
        string key = kv.TryGetProperty("key", out var k) ? Encoding.UTF8.GetString(k.GetBytesFromBase64()) : "";
        byte[] value = kv.TryGetProperty("value", out var v) ? v.GetBytesFromBase64() : [];
        return new EtcdKeyValue(key, value, Long(kv, "create_revision"), Long(kv, "mod_revision"), Long(kv, "version"), Long(kv, "lease"));
    }

    private static JsonObject CompareBody(EtcdCompare compare)
    {
        var body = new JsonObject { ["key"] = B64(compare.Key), ["result"] = "EQUAL" };
        string number = compare.Number.ToString(CultureInfo.InvariantCulture);
        switch (compare.Target)
        {
            case EtcdCompareTarget.Version: body["target"] = "VERSION"; body["version"] = number; break;
            case EtcdCompareTarget.Create: body["target"] = "CREATE"; body["create_revision"] = number; break;
            case EtcdCompareTarget.Mod: body["target"] = "MOD"; body["mod_revision"] = number; break;
            case EtcdCompareTarget.Lease: body["target"] = "LEASE"; body["lease"] = number; break;
            default: body["target"] = "VALUE"; body["value"] = Convert.ToBase64String(compare.Value ?? []); break;
        }
        return body;
    }

    private static JsonObject OpBody(EtcdOp op) => op switch
    {
        EtcdOp.Put put => new JsonObject { ["request_put"] = PutBody(put) },
        EtcdOp.Delete delete => new JsonObject { ["request_delete_range"] = DeleteBody(delete) },
        EtcdOp.Get get => new JsonObject { ["request_range"] = RangeBody(get) },
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static JsonObject PutBody(EtcdOp.Put put)
    {
        var body = new JsonObject { ["key"] = B64(put.Key), ["value"] = Convert.ToBase64String(put.Value) };
        if (put.Lease != 0) body["lease"] = put.Lease.ToString(CultureInfo.InvariantCulture);
        return body;
    }

    private static JsonObject DeleteBody(EtcdOp.Delete delete)
    {
        var body = new JsonObject { ["key"] = B64(delete.Key) };
        if (delete.Prefix) body["range_end"] = B64(PrefixEnd(delete.Key));
        return body;
    }

    private static JsonObject RangeBody(EtcdOp.Get get)
    {
        var body = new JsonObject { ["key"] = B64(get.Key) };
        if (get.Prefix) body["range_end"] = B64(PrefixEnd(get.Key));
        return body;
    }
}
