using static AkkaLog.Actors.Tests.ProbeActor;

namespace AkkaLog.Actors.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task StopProcessesEverythingQueuedThenRunsPostStop()
    {
        var log = new Log();
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(log));
        var gate = new TaskCompletionSource();
        await BlockAsync(actor, gate.Task);
        for (var i = 0; i < 100; i++)
        {
            actor.Tell(new Note(i));
        }

        var stopping = actor.StopAsync();
        Assert.False(actor.Tell(new Note(-1)));
        Assert.False(stopping.IsCompleted);
        gate.SetResult();
        await stopping.Within();

        Assert.Equal(Enumerable.Range(0, 100), log.Values);
        Assert.Equal(1, log.PostStops);
        Assert.Equal(100, log.ValuesAtPostStop);
        Assert.True(actor.IsStopped);
        Assert.Null(actor.Failure);
    }

    [Fact]
    public async Task SystemStopsActorsInReverseSpawnOrder()
    {
        var order = new List<string>();
        var system = new ActorSystem();
        system.Spawn("first", () => new NamedStopper("first", order));
        system.Spawn("second", () => new NamedStopper("second", order));
        system.Spawn("third", () => new NamedStopper("third", order));

        await system.DisposeAsync().AsTask().Within();

        Assert.Equal(["third", "second", "first"], order);
        Assert.Throws<InvalidOperationException>(() => system.Spawn("late", () => new NamedStopper("late", order)));
    }

    [Fact]
    public async Task NamesAreUniqueAndLookupIsTyped()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));

        Assert.Throws<InvalidOperationException>(() => system.Spawn("probe", () => new ProbeActor(new Log())));
        Assert.True(system.TryGet<Message>("probe", out var found));
        Assert.Same(actor, found);
        Assert.False(system.TryGet<string>("probe", out _));
        Assert.Same(actor, system.Get<Message>("probe"));
        Assert.Throws<KeyNotFoundException>(() => system.Get<Message>("missing"));

        await actor.StopAsync().Within();
        Assert.False(system.TryGet<Message>("probe", out _));
        system.Spawn("probe", () => new ProbeActor(new Log())); // the name is free again
    }

    [Fact]
    public async Task BoundedMailboxRefusesTellWhenFullAndTellAsyncWaits()
    {
        var log = new Log();
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(log), mailboxCapacity: 2);
        var gate = new TaskCompletionSource();
        await BlockAsync(actor, gate.Task);

        Assert.True(actor.Tell(new Note(1)));
        Assert.True(actor.Tell(new Note(2)));
        Assert.False(actor.Tell(new Note(3)));
        var waiting = actor.TellAsync(new Note(4)).AsTask();
        Assert.False(waiting.IsCompleted);
        gate.SetResult();

        Assert.True(await waiting.Within());
        Assert.Equal(new[] { 1, 2, 4 }, await SnapshotAsync(actor).Within());
    }

    [Fact]
    public async Task StopSelfDrainsLikeStopAsync()
    {
        var order = new List<string>();
        await using var system = new ActorSystem();
        var actor = system.Spawn("self", () => new NamedStopper("self", order));

        Assert.True(actor.Tell("stop"));
        var afterAccepted = actor.Tell("after"); // races with the actor closing its mailbox
        await actor.Completion.Within();

        Assert.Equal(afterAccepted ? ["got stop", "got after", "self"] : ["got stop", "self"], order);
        Assert.False(actor.Tell("late"));
    }

    private sealed class NamedStopper(string name, List<string> order) : Actor<string>
    {
        protected override ValueTask ReceiveAsync(string message)
        {
            lock (order)
            {
                order.Add("got " + message);
            }

            if (message == "stop")
            {
                StopSelf();
            }

            return ValueTask.CompletedTask;
        }

        protected override ValueTask PostStopAsync()
        {
            lock (order)
            {
                order.Add(name);
            }

            return ValueTask.CompletedTask;
        }
    }
}
