using System.Text;
using AkkaLog.Broker.Partitions;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>
/// An etcd value a broker cannot decode (broken JSON, a record without a topic id, one naming another
/// topic, a JSON null) must never count as "topic deleted": the replica and its data stay, whether the
/// value arrives by watch or by a full reload, and the last decoded state is kept.
/// </summary>
public sealed class UnreadableMetadataTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    public static TheoryData<string> BadTopicValues => new()
    {
        "{not json",
        """{"name":"t","partitionCount":1,"configs":{}}""",
        """{"name":"other","id":"7d1c0a4e-2a0b-4a43-9d39-0b8c2f1f4e11","partitionCount":1,"configs":{}}""",
        "null",
    };

    [Theory]
    [MemberData(nameof(BadTopicValues))]
    public async Task An_unreadable_topic_key_keeps_the_replica_and_its_data(string bad)
    {
        await using var broker = await EtcdBrokerHarness.StartAsync(fixture);
        var id = await broker.CreateTopicAsync("t");
        await broker.Replicas.ApplyLatestAsync();
        Assert.True(broker.Replicas.TryGetPartition("t", 0, out var p));
        await EtcdBrokerHarness.AppendAsync(p, "precious");
        string topicDir = p.Log.Directory;

        string key = broker.Prefix + "topics/t";
        long revision = await fixture.Client.PutAsync(key, Encoding.UTF8.GetBytes(bad));
        await EtcdBrokerHarness.WaitUntilAsync(() => broker.Store.UnreadableKeys.GetValueOrDefault(key) == revision, "the watch saw the bad value");
        await AssertStillHostedAsync();

        // The same value read by a full reload (as after a compacted watch) must not drop the topic either.
        await broker.Store.ReloadAsync(default);
        await AssertStillHostedAsync();

        // A readable value again: nothing unreadable is left, and the replica is untouched.
        await fixture.Client.PutAsync(key, Encoding.UTF8.GetBytes("{\"name\":\"t\",\"id\":\"" + id + "\",\"partitionCount\":1,\"configs\":{}}"));
        await EtcdBrokerHarness.WaitUntilAsync(() => broker.Store.UnreadableKeys.Count == 0, "the key is readable again");
        await AssertStillHostedAsync();

        // The test can see a deletion: a real one removes the replica and its directory.
        Assert.True(await broker.Store.TryDeleteTopicAsync("t", default));
        await broker.Replicas.ApplyLatestAsync();
        Assert.False(broker.Replicas.TryGetPartition("t", 0, out _));
        Assert.False(Directory.Exists(topicDir));

        async Task AssertStillHostedAsync()
        {
            await broker.Replicas.ApplyLatestAsync();
            Assert.True(Directory.Exists(topicDir), "the replica's data was deleted");
            Assert.True(broker.Replicas.TryGetPartition("t", 0, out var still));
            Assert.Same(p, still);
            Assert.Equal(1, still.Log.LogEndOffset);
            var topic = Assert.Contains("t", (IReadOnlyDictionary<string, Metadata.TopicMetadata>)broker.Store.Current.TopicsByName);
            Assert.Equal(id, topic.Id);
        }
    }

    [Fact]
    public async Task An_unreadable_partition_key_keeps_the_last_state()
    {
        await using var broker = await EtcdBrokerHarness.StartAsync(fixture);
        await broker.CreateTopicAsync("t");
        await broker.Replicas.ApplyLatestAsync();
        Assert.True(broker.Replicas.TryGetPartition("t", 0, out var p));
        await EtcdBrokerHarness.AppendAsync(p, "precious");
        var before = broker.Store.Current.Partitions[new("t", 0)];

        string key = broker.Prefix + "partitions/t/0";
        long revision = await fixture.Client.PutAsync(key, Encoding.UTF8.GetBytes("""{"leader":1}"""));
        await EtcdBrokerHarness.WaitUntilAsync(() => broker.Store.UnreadableKeys.GetValueOrDefault(key) == revision, "the watch saw the bad value");
        await broker.Store.ReloadAsync(default);

        Assert.Same(before, broker.Store.Current.Partitions[new("t", 0)]);
        await broker.Replicas.ApplyLatestAsync();
        Assert.True(broker.Replicas.TryGetPartition("t", 0, out var still));
        Assert.True(still.IsLeader);
        Assert.Equal(1, still.Log.LogEndOffset);
    }
}
