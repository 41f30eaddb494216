using AkkaLog.Client;
using AkkaLog.Client.Admin;
using AkkaLog.TestSupport;

namespace AkkaLog.Streams.Tests.Infrastructure;

/// <summary>
/// The broker shared by the streams integration tests (one process for the whole collection). Groups
/// form at once (group.initial.rebalance.delay.ms=0); topics are created by the tests with unique names.
/// </summary>
public sealed class StreamsFixture : IAsyncLifetime
{
    public BrokerProcess Broker { get; } = new("streams-it", new Dictionary<string, string>
    {
        ["auto.create.topics.enable"] = "false",
        ["group.initial.rebalance.delay.ms"] = "0",
    });

    public string Bootstrap => Broker.Bootstrap;

    /// <summary>State directories made by tests; deleted at the end.</summary>
    private readonly List<string> _dirs = [];

    public Task InitializeAsync() => Broker.StartAsync();

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        foreach (var dir in _dirs) try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Bootstrap }).Build();

    /// <summary>A unique name with <paramref name="prefix"/>.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public async Task<string> CreateTopicAsync(string prefix, int partitions = 1, Dictionary<string, string>? configs = null)
    {
        string name = Unique(prefix);
        await using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1, Configs = configs }]);
        return name;
    }

    public string NewStateDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "akkalog-streams-tests", Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        lock (_dirs) _dirs.Add(dir);
        return dir;
    }

    public StreamsConfig Config(string applicationId, string? stateDir = null, ITestOutputHelper? output = null) => new()
    {
        ApplicationId = applicationId,
        BootstrapServers = Bootstrap,
        StateDir = stateDir ?? NewStateDir(),
        CommitIntervalMs = 200,
        MaxTaskIdleMs = 200,
        Log = output is null ? null : line => { try { output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"); } catch (InvalidOperationException) { } },
    };

    /// <summary>Produces string records (key, value, timestamp ms) in order, waiting for every acknowledgement.</summary>
    public async Task ProduceAsync(string topic, IEnumerable<(string? Key, string? Value, long Timestamp)> records)
    {
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Bootstrap }).Build();
        // Sent without waiting in between (one producer keeps each partition's order), then all acknowledged.
        var sends = records.Select(r => producer.ProduceAsync(topic,
            new Message<string, string> { Key = r.Key!, Value = r.Value!, Timestamp = new Timestamp(r.Timestamp, TimestampType.CreateTime) })).ToList();
        await Task.WhenAll(sends);
    }

    /// <summary>Reads every record of <paramref name="topic"/> (all partitions) until <paramref name="done"/> holds for what was read, or fails after the timeout.</summary>
    public List<(TKey Key, TValue Value, long Timestamp)> ReadUntil<TKey, TValue>(string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde,
        Func<List<(TKey Key, TValue Value, long Timestamp)>, bool> done, TimeSpan? timeout = null, TimeSpan? settle = null)
    {
        var config = new ConsumerConfig { BootstrapServers = Bootstrap, EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        using var admin = Admin();
        var description = admin.DescribeTopicsAsync([topic]).GetAwaiter().GetResult()[0];
        consumer.Assign(description.Partitions.Select(p => new TopicPartitionOffset(topic, p.Partition, Offset.Beginning)));
        var result = new List<(TKey, TValue, long)>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not null)
            {
                result.Add((keySerde.Deserialize(r.Message.Key, r.Message.Key is null), valueSerde.Deserialize(r.Message.Value, r.Message.Value is null),
                    r.Message.Timestamp.UnixTimestampMs));
                continue;
            }
            if (!done(result)) continue;
            if (settle is null) return result;
            // Nothing more may arrive for a while (to catch extra records).
            var quiet = DateTime.UtcNow + settle.Value;
            while (DateTime.UtcNow < quiet)
            {
                r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r is not null)
                    result.Add((keySerde.Deserialize(r.Message.Key, r.Message.Key is null), valueSerde.Deserialize(r.Message.Value, r.Message.Value is null),
                        r.Message.Timestamp.UnixTimestampMs));
            }
            return result;
        }
        throw new TimeoutException($"{topic}: condition not met after reading {result.Count} records: " +
                                   string.Join(", ", result.TakeLast(20).Select(x => $"{x.Item1}={x.Item2}")));
    }

    /// <summary>The latest value per key of what was read.</summary>
    public static Dictionary<TKey, TValue> Latest<TKey, TValue>(IEnumerable<(TKey Key, TValue Value, long Timestamp)> records) where TKey : notnull
    {
        var latest = new Dictionary<TKey, TValue>();
        foreach (var (k, v, _) in records) latest[k] = v;
        return latest;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met: " + describe());
            await Task.Delay(50);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StreamsCollection : ICollectionFixture<StreamsFixture>
{
    public const string Name = "streams-broker";
}
