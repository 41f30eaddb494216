using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AkkaLog.Broker.Cluster.Etcd;

public sealed partial class EtcdClient
{
    /// <summary>
    /// Streams changes under <paramref name="prefix"/> from <paramref name="startRevision"/> on (0 = from
    /// now). The first batch is the watch's creation notice (no events). The stream ends with an
    /// <see cref="EtcdException"/> when the connection drops (IsUnavailable) or the revision was
    /// compacted away (not IsUnavailable: reread everything and watch from the new revision).
    /// The caller resumes from the last event's mod revision + 1 after a drop.
    /// </summary>
    public async IAsyncEnumerable<EtcdWatchBatch> WatchAsync(string prefix, long startRevision,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var create = new JsonObject { ["key"] = B64(prefix), ["range_end"] = B64(PrefixEnd(prefix)) };
        if (startRevision > 0) create["start_revision"] = startRevision.ToString(CultureInfo.InvariantCulture);
        string json = new JsonObject { ["create_request"] = create }.ToJsonString();

        HttpResponseMessage? response = null;
        Exception? last = null;
        for (int attempt = 0; attempt < _endpoints.Length && response is null; attempt++)
        {
            int index = (Volatile.Read(ref _current) + attempt) % _endpoints.Length;
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(RequestTimeout);
            try
            {
                var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoints[index], "/v3/watch"))
                {
                    Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                };
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException
                                          || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e;
            }
        }
        if (response is null)
            throw new EtcdException($"no etcd endpoint accepted a watch: {last?.Message}", isUnavailable: true, last);

        using (response)
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (true)
            {
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    throw new EtcdException($"etcd watch stream broke: {e.Message}", isUnavailable: true, e);
                }
                if (line is null) throw new EtcdException("etcd closed the watch stream", isUnavailable: true);
                if (line.Length == 0) continue;
                yield return ParseWatchLine(line);
            }
        }
    }

    private static EtcdWatchBatch ParseWatchLine(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            string message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : error.ToString();
            throw new EtcdException($"etcd watch failed: {message}", isUnavailable: true);
        }
        var result = root.GetProperty("result");
        if (result.TryGetProperty("canceled", out var canceled) && canceled.GetBoolean())
        {
            long compacted = Long(result, "compact_revision");
            string reason = result.TryGetProperty("cancel_reason", out var r) ? r.GetString() ?? "" : "";
            throw new EtcdException($"etcd cancelled the watch{(compacted > 0 ? $" (revision compacted to {compacted})" : "")}: {reason}",
                isUnavailable: false);
        }
        var events = new List<EtcdWatchEvent>();
        if (result.TryGetProperty("events", out var list))
        {
            foreach (var e in list.EnumerateArray())
            {
                bool delete = e.TryGetProperty("type", out var type) && type.GetString() == "DELETE";
                events.Add(new EtcdWatchEvent(delete, ReadKv(e.GetProperty("kv"))));
            }
        }
        // A notice's header revision may run ahead of events still to come (a watch catching up from
        // an old revision), so only events move the resume point.
        return new EtcdWatchBatch(events.Count > 0 ? events[^1].Kv.ModRevision : 0, events);
    }
}
