using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Tests.Groups;

/// <summary>
/// max.partitions: a CreateTopics or CreatePartitions that would take the broker past it is
/// refused with INVALID_PARTITIONS naming the key, so an absurd partition count (which would
/// exhaust file handles and memory) cannot take the broker down.
/// </summary>
public sealed class PartitionLimitTests
{
    private static async Task<CreateTopicsResponse.CreatableTopicResult> CreateAsync(InProcessBroker b, string name, int partitions) =>
        (await b.CallAsync<CreateTopicsResponse>(new CreateTopicsRequest
        {
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }],
        }, 5)).Topics.Single();

    [Fact]
    public async Task Topics_and_partitions_past_max_partitions_are_refused()
    {
        // The broker's 2 __consumer_offsets partitions count too.
        await using var b = await InProcessBroker.StartAsync(("max.partitions", "100"));
        Assert.Equal(0, (await CreateAsync(b, "fits", 60)).ErrorCode);

        var tooMany = await CreateAsync(b, "huge", 1_000_000);
        Assert.Equal((short)ErrorCode.InvalidPartitions, tooMany.ErrorCode);
        Assert.Contains("max.partitions (100)", tooMany.ErrorMessage);
        Assert.Equal((short)ErrorCode.InvalidPartitions, (await CreateAsync(b, "just-over", 39)).ErrorCode);
        Assert.Equal(0, (await CreateAsync(b, "just-fits", 38)).ErrorCode);

        var grow = await b.CallAsync<CreatePartitionsResponse>(new CreatePartitionsRequest
        {
            Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = "fits", Count = 61 }],
            TimeoutMs = 1000,
        }, 1);
        Assert.Equal((short)ErrorCode.InvalidPartitions, grow.Results.Single().ErrorCode);
        var metadata = await b.CallAsync<MetadataResponse>(new MetadataRequest { Topics = null }, 9);
        Assert.DoesNotContain(metadata.Topics, t => t.Name is "huge" or "just-over");
        Assert.Equal(60, metadata.Topics.Single(t => t.Name == "fits").Partitions.Count);
    }
}
