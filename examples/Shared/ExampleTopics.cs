using AkkaLog.Client;
using AkkaLog.Client.Admin;

namespace AkkaLog.Examples;

/// <summary>What the examples share: creating their topics if missing and producing sample records.</summary>
public static class ExampleTopics
{
    /// <summary>Creates each topic (name, partitions, compacted?) that does not exist yet.</summary>
    public static async Task EnsureAsync(string bootstrap, params (string Name, int Partitions, bool Compacted)[] topics)
    {
        await using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var existing = (await admin.ListTopicsAsync()).ToHashSet();
        var missing = topics.Where(t => !existing.Contains(t.Name)).Select(t => new TopicSpecification
        {
            Name = t.Name, NumPartitions = t.Partitions, ReplicationFactor = 1,
            Configs = t.Compacted ? new Dictionary<string, string> { ["cleanup.policy"] = "compact" } : null,
        }).ToList();
        if (missing.Count > 0) await admin.CreateTopicsAsync(missing);
    }

    /// <summary>Produces string records (key, value, timestamp in ms; 0 = now).</summary>
    public static async Task ProduceAsync(string bootstrap, string topic, IEnumerable<(string Key, string Value, long Timestamp)> records)
    {
        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        await Task.WhenAll(records.Select(r => producer.ProduceAsync(topic, new Message<string, string>
        {
            Key = r.Key, Value = r.Value,
            Timestamp = r.Timestamp > 0 ? new Timestamp(r.Timestamp, TimestampType.CreateTime) : Timestamp.Default,
        })).ToList());
    }

    /// <summary>Runs until Ctrl+C, or for the seconds given as the second argument.</summary>
    public static CancellationTokenSource StopSignal(string[] args)
    {
        var cts = args.Length > 1 && int.TryParse(args[1], out int seconds) ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        return cts;
    }
}
