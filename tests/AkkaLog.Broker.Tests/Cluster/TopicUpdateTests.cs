using System.Text;
using AkkaLog.Broker.Cluster;
using AkkaLog.Broker.Cluster.Etcd;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Metadata;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>
/// Topic record changes are compare-and-swaps re-applied on the latest record: AlterConfigs racing
/// CreatePartitions, or several AlterConfigs, from two brokers at once, lose nothing.
/// </summary>
public sealed class TopicUpdateTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    private async Task<EtcdMetadataStore> StartStoreAsync(string clusterId, int nodeId)
    {
        var store = new EtcdMetadataStore(new EtcdClient([fixture.Etcd.Endpoint]), clusterId, nodeId, TimeSpan.FromSeconds(2),
            TimeSpan.FromMilliseconds(500), NullLogger.Instance);
        await store.StartAsync(default);
        await store.RegisterBrokerAsync(new BrokerNode(nodeId, "127.0.0.1", 9090 + nodeId, null), default);
        return store;
    }

    private static PartitionState Fresh() => PartitionState.SingleReplica(1);

    [Fact]
    public async Task Concurrent_config_changes_and_partition_additions_from_two_brokers_all_survive()
    {
        string clusterId = "upd" + Guid.NewGuid().ToString("N")[..10];
        await using var a = await StartStoreAsync(clusterId, 1);
        await using var b = await StartStoreAsync(clusterId, 2);
        Assert.True(await a.TryCreateTopicAsync(new TopicMetadata("t", Guid.NewGuid(), 1, new Dictionary<string, string>()), [Fresh()], default));

        const int ConfigChanges = 6, Grows = 4;
        // Each config change adds its own key to whatever is stored (IncrementalAlterConfigs' merge);
        // each growth adds one partition to whatever count is stored (CreatePartitions by one).
        static TopicChange AddKey(TopicMetadata t, int i) =>
            TopicChange.Of(t with { Configs = new Dictionary<string, string>(t.Configs) { [$"k{i}"] = $"v{i}" } });
        static TopicChange Grow(TopicMetadata t) =>
            new(t with { PartitionCount = t.PartitionCount + 1 }, new Dictionary<int, PartitionState> { [t.PartitionCount] = Fresh() });

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = new List<Task<TopicUpdateStatus>>();
        for (int i = 0; i < ConfigChanges; i++)
        {
            int n = i;
            var store = i % 2 == 0 ? a : b;
            writers.Add(Task.Run(async () => { await start.Task; return await store.UpdateTopicAsync("t", t => AddKey(t, n), default); }));
        }
        for (int i = 0; i < Grows; i++)
        {
            var store = i % 2 == 0 ? b : a;
            writers.Add(Task.Run(async () => { await start.Task; return await store.UpdateTopicAsync("t", Grow, default); }));
        }
        start.SetResult();
        var statuses = await Task.WhenAll(writers);
        Assert.All(statuses, s => Assert.Equal(TopicUpdateStatus.Updated, s));

        // etcd itself, then both brokers' images (once their watches caught up), hold every change.
        var stored = (await fixture.Client.GetAsync($"/akkalog/{clusterId}/topics/t"))!;
        string json = Encoding.UTF8.GetString(stored.Value);
        for (int i = 0; i < ConfigChanges; i++) Assert.Contains($"\"k{i}\":\"v{i}\"", json);
        Assert.Contains($"\"partitionCount\":{1 + Grows}", json);
        foreach (var store in new[] { a, b })
        {
            await EtcdBrokerHarness.WaitUntilAsync(() => store.Current.TopicsByName["t"].PartitionCount == 1 + Grows
                && store.Current.TopicsByName["t"].Configs.Count == ConfigChanges, "the image shows every change");
            for (int p = 0; p < 1 + Grows; p++) Assert.NotNull(store.Current.PartitionStateOf("t", p));
        }
    }

    [Fact]
    public async Task A_change_that_keeps_losing_the_race_gives_up_with_conflict_and_writes_nothing()
    {
        string clusterId = "upd" + Guid.NewGuid().ToString("N")[..10];
        await using var a = await StartStoreAsync(clusterId, 1);
        var id = Guid.NewGuid();
        Assert.True(await a.TryCreateTopicAsync(new TopicMetadata("t", id, 1, new Dictionary<string, string>()), [Fresh()], default));
        string key = $"/akkalog/{clusterId}/topics/t";
        int calls = 0;
        // Every time the change is computed, another writer changes the topic first.
        var status = await a.UpdateTopicAsync("t", t =>
        {
            int n = Interlocked.Increment(ref calls);
            string other = "{\"name\":\"t\",\"id\":\"" + id + "\",\"partitionCount\":1,\"configs\":{\"other\":\"" + n + "\"}}";
            fixture.Client.PutAsync(key, Encoding.UTF8.GetBytes(other)).GetAwaiter().GetResult();
            return new TopicChange(t with { PartitionCount = 2 }, new Dictionary<int, PartitionState> { [1] = Fresh() });
        }, default);

        Assert.Equal(TopicUpdateStatus.Conflict, status);
        Assert.Equal(IMetadataStore.MaxTopicUpdateAttempts, calls);
        Assert.Contains("\"partitionCount\":1", Encoding.UTF8.GetString((await fixture.Client.GetAsync(key))!.Value));
        // A partition state a lost attempt may have left behind is not part of the topic.
        await EtcdBrokerHarness.WaitUntilAsync(() => a.Current.TopicsByName["t"].Configs.GetValueOrDefault("other") == calls.ToString(),
            "the image shows the other writer's last change");
        Assert.Null(a.Current.PartitionStateOf("t", 1));
        Assert.Equal(TopicUpdateStatus.NotFound, await a.UpdateTopicAsync("missing", TopicChange.Of, default));
        Assert.Equal(TopicUpdateStatus.Declined, await a.UpdateTopicAsync("t", _ => null, default));
    }
}
