using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>
/// A hand-driven consumer group member over its own <see cref="KafkaWireClient"/> connection:
/// JoinGroup (answering MEMBER_ID_REQUIRED by rejoining with the given id, KIP-394), then SyncGroup,
/// where as leader it assigns every partition of the topic to itself. Fails the test on any error.
/// </summary>
public sealed class WireGroupMember : IAsyncDisposable
{
    private WireGroupMember(KafkaWireClient client, string group, string memberId, int generation, string? instanceId)
    {
        Client = client;
        Group = group;
        MemberId = memberId;
        Generation = generation;
        InstanceId = instanceId;
    }

    /// <summary>The member's connection.</summary>
    public KafkaWireClient Client { get; }
    /// <summary>The group joined.</summary>
    public string Group { get; }
    /// <summary>The member id the coordinator gave.</summary>
    public string MemberId { get; }
    /// <summary>The generation joined.</summary>
    public int Generation { get; }
    /// <summary>group.instance.id, for a static member.</summary>
    public string? InstanceId { get; }

    /// <summary>Joins <paramref name="group"/> alone (the group must be empty) and takes all <paramref name="partitions"/> of <paramref name="topic"/>.</summary>
    public static async Task<WireGroupMember> JoinAloneAsync(BrokerProcess broker, string group, string topic, int partitions,
        int sessionTimeoutMs = 10_000, string? instanceId = null)
    {
        var client = await broker.ConnectAsync();
        try
        {
            var protocols = new[] { ("range", ConsumerProtocolCodec.Subscription(topic)) };
            var join = await client.JoinGroupAsync(group, "", protocols, sessionTimeoutMs, instanceId: instanceId);
            if ((ErrorCode)join.ErrorCode == ErrorCode.MemberIdRequired)
                join = await client.JoinGroupAsync(group, join.MemberId, protocols, sessionTimeoutMs, instanceId: instanceId);
            Check(join.ErrorCode, $"JoinGroup {group}");
            Assert.Equal(join.MemberId, join.Leader);
            var assignment = new Dictionary<string, byte[]>
            {
                [join.MemberId] = ConsumerProtocolCodec.Assignment(topic, Enumerable.Range(0, partitions).ToArray()),
            };
            var sync = await client.SyncGroupAsync(group, join.GenerationId, join.MemberId, assignment, instanceId);
            Check(sync.ErrorCode, $"SyncGroup {group}");
            return new WireGroupMember(client, group, join.MemberId, join.GenerationId, instanceId);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Commits offsets as this member; fails unless every partition is accepted.</summary>
    public async Task CommitAsync(string topic, params (int Partition, long Offset)[] offsets)
    {
        var result = await Client.CommitOffsetsAsync(Group, Generation, MemberId, offsets.Select(o => (topic, o.Partition, o.Offset)), instanceId: InstanceId);
        Assert.All(result, r => Assert.Equal(ErrorCode.None, r.Error));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Client.DisposeAsync();

    private static void Check(short error, string what)
    {
        if (error != 0) throw new Xunit.Sdk.XunitException($"{what}: {(ErrorCode)error}");
    }
}
