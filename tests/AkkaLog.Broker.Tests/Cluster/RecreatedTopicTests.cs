using AkkaLog.Storage;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>
/// A topic deleted and recreated under the same name while a broker was down: on restart the broker
/// must not reopen its old directory as the new topic's partition (the topic id in
/// <c>partition.metadata</c> tells them apart); the replica starts empty.
/// </summary>
public sealed class RecreatedTopicTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task A_restarted_broker_does_not_serve_the_old_topics_data_as_the_new_topic()
    {
        await using var broker = await EtcdBrokerHarness.StartAsync(fixture);
        var oldId = await broker.CreateTopicAsync("t");
        await broker.Replicas.ApplyLatestAsync();
        Assert.True(broker.Replicas.TryGetPartition("t", 0, out var p));
        await EtcdBrokerHarness.AppendAsync(p, "old-1");
        await EtcdBrokerHarness.AppendAsync(p, "old-2");
        string dir = p.Log.Directory;
        Assert.Equal(PartitionMetadataFile.State.Present, PartitionMetadataFile.Read(dir, out var written, out _));
        Assert.Equal(oldId, written);

        // Down: the broker's replica manager applies nothing while the topic is deleted and created again.
        await broker.RestartAsync();
        Assert.True(await broker.Store.TryDeleteTopicAsync("t", default));
        var newId = await broker.CreateTopicAsync("t");
        Assert.NotEqual(oldId, newId);

        await broker.Replicas.ApplyLatestAsync();
        Assert.True(broker.Replicas.TryGetPartition("t", 0, out var fresh));
        Assert.Equal(newId, fresh.TopicId);
        Assert.Equal(0, fresh.Log.LogEndOffset);
        Assert.Equal(0, fresh.HighWatermark);
        Assert.Equal(PartitionMetadataFile.State.Present, PartitionMetadataFile.Read(fresh.Log.Directory, out written, out _));
        Assert.Equal(newId, written);
        Assert.Equal(0, await EtcdBrokerHarness.AppendAsync(fresh, "new-1"));
    }
}
