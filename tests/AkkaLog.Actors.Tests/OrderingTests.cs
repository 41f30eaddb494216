namespace AkkaLog.Actors.Tests;

public sealed class OrderingTests
{
    private const int Senders = 4;
    private const int PerSender = 2_500;

    [Fact]
    public async Task MessagesFromSeveralSendersArriveInPerSenderOrderOneAtATime()
    {
        await using var system = new ActorSystem();
        var probe = new OrderProbe();
        var actor = system.Spawn("ordered", () => new OrderActor(probe));

        var start = new ManualResetEventSlim();
        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(() =>
        {
            start.Wait();
            for (var seq = 0; seq < PerSender; seq++)
            {
                Assert.True(actor.Tell(new Numbered(sender, seq)));
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(senders).Within();
        await actor.StopAsync().Within();

        Assert.Equal(Senders * PerSender, probe.Received);
        Assert.Equal(1, probe.MaxConcurrency);
        Assert.Empty(probe.OutOfOrder);
        Assert.All(probe.LastSeq, last => Assert.Equal(PerSender - 1, last));
    }

    private sealed record Numbered(int Sender, int Seq);

    private sealed class OrderProbe
    {
        public int Received;
        public int Active;
        public int MaxConcurrency;
        public readonly int[] LastSeq = Enumerable.Repeat(-1, Senders).ToArray();
        public readonly List<Numbered> OutOfOrder = [];
    }

    private sealed class OrderActor(OrderProbe probe) : Actor<Numbered>
    {
        protected override async ValueTask ReceiveAsync(Numbered message)
        {
            var active = Interlocked.Increment(ref probe.Active);
            probe.MaxConcurrency = Math.Max(probe.MaxConcurrency, active);
            if (message.Seq % 100 == 0)
            {
                // Go async now and then, so a second loop (if there were one) would overlap here.
                await Task.Yield();
            }

            if (probe.LastSeq[message.Sender] + 1 != message.Seq)
            {
                probe.OutOfOrder.Add(message);
            }

            probe.LastSeq[message.Sender] = message.Seq;
            probe.Received++;
            Interlocked.Decrement(ref probe.Active);
        }
    }
}
