using System.Collections.Concurrent;
using AkkaLog.Client;

namespace AkkaLog.ClusterTests;

/// <summary>
/// Produces numbered records ("v-000001", ...) with acks=all in a loop, up to a bounded number in
/// flight, until stopped; remembers every acknowledgement (partition, offset, value) and every
/// failure. Records are keyed so each lands on a fixed partition.
/// </summary>
public sealed class ContinuousProducer : IAsyncDisposable
{
    private readonly IProducer<string, string> _producer;
    private readonly string _topic;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _inFlight = new(64);
    private readonly Task _loop;
    private int _sent;

    public ContinuousProducer(string bootstrap, string topic, Dictionary<string, string>? settings = null)
    {
        var config = new Dictionary<string, string>
        {
            ["bootstrap.servers"] = bootstrap,
            ["acks"] = "all",
            // Without idempotence (the default here; a test may turn it on), one request in flight keeps each
            // partition in send order across retries (a retry after a lost acknowledgement may still store a record twice).
            ["max.in.flight.requests.per.connection"] = "1",
            ["linger.ms"] = "2",
            ["request.timeout.ms"] = "5000",
            ["delivery.timeout.ms"] = "60000",
            ["retry.backoff.ms"] = "100",
            ["metadata.max.age.ms"] = "5000",
        };
        foreach (var (k, v) in settings ?? []) config[k] = v;
        _producer = new ProducerBuilder<string, string>(config).Build();
        _topic = topic;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Acknowledged records.</summary>
    public ConcurrentBag<(int Partition, long Offset, string Value)> Acked { get; } = [];
    /// <summary>Records whose delivery failed, with the error.</summary>
    public ConcurrentBag<(string Value, string Error)> Failed { get; } = [];
    /// <summary>Records handed to the producer so far.</summary>
    public int Sent => Volatile.Read(ref _sent);

    private async Task RunAsync()
    {
        var pending = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            await _inFlight.WaitAsync();
            int n = Interlocked.Increment(ref _sent);
            string value = $"v-{n:D6}";
            pending.Add(SendAsync(value, $"k{n % 17}"));
            if (pending.Count > 1000) pending.RemoveAll(t => t.IsCompleted);
            if (n % 20 == 0) await Task.Delay(5);
        }
        await Task.WhenAll(pending);
    }

    private async Task SendAsync(string value, string key)
    {
        try
        {
            var result = await _producer.ProduceAsync(_topic, new Message<string, string> { Key = key, Value = value });
            Acked.Add((result.Partition.Value, result.Offset.Value, value));
        }
        catch (Exception e)
        {
            Failed.Add((value, e.Message));
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <summary>Waits until at least <paramref name="more"/> further records were acknowledged (or the timeout).</summary>
    public async Task WaitForAcksAsync(int more, TimeSpan timeout)
    {
        int target = Acked.Count + more;
        var deadline = DateTime.UtcNow + timeout;
        while (Acked.Count < target && DateTime.UtcNow < deadline) await Task.Delay(50);
        if (Acked.Count < target)
            throw new Xunit.Sdk.XunitException($"only {Acked.Count} of {target} acknowledgements after {timeout}; failures: {Failed.Count} {Failed.FirstOrDefault().Error}");
    }

    /// <summary>Stops producing and waits for everything in flight to be answered.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _producer.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        await _producer.DisposeAsync();
        _stop.Dispose();
    }
}
