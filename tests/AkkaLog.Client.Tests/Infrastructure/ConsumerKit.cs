using System.Collections.Concurrent;

namespace AkkaLog.Client.Tests.Infrastructure;

/// <summary>Helpers for consumer tests: reading a number of records, and group members that consume on a thread of their own.</summary>
public static class ConsumerKit
{
    /// <summary>A consumer configuration for the test broker with fast group timings.</summary>
    public static ConsumerConfig Config(string bootstrap, string? group = null, string reset = "earliest") => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        ["auto.offset.reset"] = reset,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 300,
        AutoCommitIntervalMs = 200,
        FetchMaxWaitMs = 100,
    };

    /// <summary>
    /// Consumes until <paramref name="count"/> records arrived; fails (naming how many did) if that takes
    /// longer than <paramref name="limit"/> (a guard against hanging, not a timing assertion).
    /// </summary>
    public static Task<List<ConsumeResult<TKey, TValue>>> ReadAsync<TKey, TValue>(IConsumer<TKey, TValue> consumer, int count, TimeSpan? limit = null) =>
        Task.Run(() =>
        {
            var list = new List<ConsumeResult<TKey, TValue>>(count);
            var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
            while (list.Count < count)
            {
                if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"only {list.Count} of {count} records arrived");
                var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (r is not null && !r.IsPartitionEOF) list.Add(r);
            }
            return list;
        });

    /// <summary>Consumes for <paramref name="period"/> and returns what came (expected: nothing).</summary>
    public static Task<List<ConsumeResult<TKey, TValue>>> DrainAsync<TKey, TValue>(IConsumer<TKey, TValue> consumer, TimeSpan period) =>
        Task.Run(() =>
        {
            var list = new List<ConsumeResult<TKey, TValue>>();
            var end = DateTime.UtcNow + period;
            while (DateTime.UtcNow < end)
            {
                var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r is not null && !r.IsPartitionEOF) list.Add(r);
            }
            return list;
        });

    /// <summary>Polls <paramref name="condition"/> every 50 ms until true; fails with <paramref name="describe"/> after <paramref name="limit"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException("timed out waiting: " + describe());
            await Task.Delay(50);
        }
    }
}

/// <summary>
/// One consumer of a group running its Consume loop on a dedicated thread (consumers are single-threaded),
/// recording what it consumed. <see cref="StopAsync"/> closes it on that thread, so the revoke handler and
/// the final commit run where they belong.
/// </summary>
public sealed class GroupMember : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile IReadOnlyList<TopicPartition> _assignment = [];

    public GroupMember(string name, ConsumerConfig config, string topic, ConcurrentBag<(string Member, int Partition, long Offset, string Value)> sink)
    {
        Name = name;
        var ready = new TaskCompletionSource();
        _loop = Task.Factory.StartNew(() =>
        {
            var consumer = new ConsumerBuilder<string, string>(config)
                .SetPartitionsAssignedHandler((c, _) => _assignment = c.Assignment)
                .SetPartitionsRevokedHandler((c, revoked) => _assignment = c.Assignment.Except(revoked.Select(r => r.TopicPartition)).ToList())
                .Build();
            try
            {
                consumer.Subscribe(topic);
                ready.SetResult();
                while (!_stop.IsCancellationRequested)
                {
                    var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    if (r is not null && !r.IsPartitionEOF) sink.Add((name, r.Partition.Value, r.Offset.Value, r.Message.Value));
                }
            }
            catch (Exception e)
            {
                Error = e;
                ready.TrySetResult();
            }
            finally
            {
                consumer.Close();
            }
        }, TaskCreationOptions.LongRunning);
        ready.Task.Wait();
    }

    public string Name { get; }

    /// <summary>The partitions it holds, as its rebalance handlers last saw them.</summary>
    public IReadOnlyList<TopicPartition> Assignment => _assignment;

    public Exception? Error { get; private set; }

    public async Task StopAsync()
    {
        _stop.Cancel();
        await _loop;
        if (Error is not null) throw new Xunit.Sdk.XunitException($"member {Name} failed: {Error}");
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _loop; } catch (Exception) { }
    }
}
