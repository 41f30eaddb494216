using AkkaLog.Broker.Tests.Groups;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Tests.Handlers;

public sealed class InitProducerIdTests
{
    [Fact]
    public async Task Brokers_of_a_cluster_never_hand_out_the_same_producer_id()
    {
        // Both brokers read the same (manual) clock, the worst case for time-based ids.
        await using var one = await InProcessBroker.StartAsync(("node.id", "1"));
        await using var two = await InProcessBroker.StartAsync(("node.id", "2"));
        var ids = new List<long>();
        for (int i = 0; i < 50; i++)
        {
            foreach (var broker in new[] { one, two })
            {
                var response = await broker.CallAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null, TransactionTimeoutMs = 60_000 }, 4);
                Assert.Equal(0, response.ErrorCode);
                Assert.Equal(0, response.ProducerEpoch);
                ids.Add(response.ProducerId);
            }
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(id > 0));
    }

    [Fact]
    public async Task A_producer_asking_with_its_id_and_epoch_gets_the_next_epoch()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var first = await broker.CallAsync<InitProducerIdResponse>(new InitProducerIdRequest { TransactionalId = null }, 4);
        var bumped = await broker.CallAsync<InitProducerIdResponse>(
            new InitProducerIdRequest { TransactionalId = null, ProducerId = first.ProducerId, ProducerEpoch = first.ProducerEpoch }, 4);
        Assert.Equal(first.ProducerId, bumped.ProducerId);
        Assert.Equal(first.ProducerEpoch + 1, bumped.ProducerEpoch);
    }
}
