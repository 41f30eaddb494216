using static AkkaLog.Actors.Tests.DurableCounter;

namespace AkkaLog.Actors.Tests;

public sealed class SupervisionTests
{
    private static Task<(int Count, int Seen)> GetAsync(ActorRef<Message> actor) =>
        actor.Ask<(int, int)>(reply => new Get(reply), TestTimeouts.Long);

    [Fact]
    public async Task RestartRebuildsStateFromDurableStoreAndContinuesWithNextMessage()
    {
        var store = new Store { Value = 10 };
        await using var system = new ActorSystem();
        var actor = system.Spawn("counter", Factory(store));

        actor.Tell(new Add(5));
        actor.Tell(new Fail("boom"));
        actor.Tell(new Add(3));
        var (count, seen) = await GetAsync(actor).Within();

        Assert.Equal(18, count);
        Assert.Equal(2, seen); // the fresh instance saw only Add(3) and Get
        Assert.Equal(2, store.Instances);
        Assert.Equal(2, store.PreStarts);
        Assert.Equal(1, store.PostStops);
        Assert.Equal(1, store.Disposes);
    }

    [Fact]
    public async Task AskOfFailingMessageGetsTheException()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn("counter", Factory(new Store()));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => actor.Ask<int>(reply => new Fail("bad request", reply), TestTimeouts.Long)).Within();

        Assert.Equal("bad request", ex.Message);
        Assert.Equal(0, (await GetAsync(actor).Within()).Count); // restarted and still serving
    }

    [Fact]
    public async Task TooManyRestartsWithinWindowStopsTheActor()
    {
        var store = new Store();
        await using var system = new ActorSystem(timeProvider: new ManualTimeProvider());
        var actor = system.Spawn("counter", Factory(store), SupervisorStrategy.Restart(2, TimeSpan.FromMinutes(1)));

        actor.Tell(new Fail("1"));
        actor.Tell(new Fail("2"));
        actor.Tell(new Fail("3"));
        var queued = GetAsync(actor);

        await actor.Completion.Within();
        Assert.True(actor.IsStopped);
        Assert.Equal("3", actor.Failure?.Message);
        Assert.Equal(3, store.Instances);
        Assert.Equal(3, store.PostStops);
        var stopped = await Assert.ThrowsAsync<ActorStoppedException>(() => queued).Within();
        Assert.Equal("3", stopped.InnerException?.Message);
        Assert.False(actor.Tell(new Add(1)));
        Assert.False(system.TryGet<Message>("counter", out _));
    }

    [Fact]
    public async Task RestartsOutsideTheWindowAreForgotten()
    {
        var time = new ManualTimeProvider();
        await using var system = new ActorSystem(timeProvider: time);
        var actor = system.Spawn("counter", Factory(new Store()), SupervisorStrategy.Restart(1, TimeSpan.FromSeconds(10)));

        for (var i = 0; i < 3; i++)
        {
            actor.Tell(new Fail("again"));
            await GetAsync(actor).Within();
            time.Advance(TimeSpan.FromSeconds(11));
        }

        Assert.False(actor.IsStopped);
    }

    [Fact]
    public async Task ResumeKeepsTheInstanceAndSkipsTheMessage()
    {
        var store = new Store();
        await using var system = new ActorSystem();
        var actor = system.Spawn("counter", Factory(store), SupervisorStrategy.ResumeAlways);

        actor.Tell(new Add(1));
        actor.Tell(new Fail("skip me"));
        var (count, seen) = await GetAsync(actor).Within();

        Assert.Equal(1001, count); // same instance, state as the failed message left it
        Assert.Equal(3, seen);
        Assert.Equal(1, store.Instances);
    }

    [Fact]
    public async Task StopDirectiveStopsAndFailsQueuedAsks()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn("counter", Factory(new Store()), SupervisorStrategy.StopOnFailure);

        actor.Tell(new Fail("fatal"));
        await actor.Completion.Within();

        await Assert.ThrowsAsync<ActorStoppedException>(() => GetAsync(actor)).Within();
    }

    [Fact]
    public async Task DeciderChoosesPerException()
    {
        var store = new Store();
        var strategy = new SupervisorStrategy(
            ex => ex.Message == "transient" ? SupervisorDirective.Resume : SupervisorDirective.Restart,
            MaxRestarts: 5,
            Window: TimeSpan.FromMinutes(1));
        await using var system = new ActorSystem();
        var actor = system.Spawn("counter", Factory(store), strategy);

        actor.Tell(new Fail("transient"));
        actor.Tell(new Fail("corrupt"));
        await GetAsync(actor).Within();

        Assert.Equal(2, store.Instances);
    }

    [Fact]
    public async Task FailingPreStartIsRetriedAsARestart()
    {
        var store = new Store { Value = 7, FailPreStarts = 2 };
        await using var system = new ActorSystem();
        var actor = system.Spawn("counter", Factory(store));

        Assert.Equal(7, (await GetAsync(actor).Within()).Count);
        Assert.Equal(3, store.Instances);
        Assert.Equal(0, store.PostStops); // no PostStop for instances that never started
        Assert.Equal(2, store.Disposes);
    }

    [Fact]
    public async Task PreStartThatNeverSucceedsStopsAfterMaxRestarts()
    {
        var store = new Store { FailPreStarts = int.MaxValue };
        await using var system = new ActorSystem();
        var actor = system.Spawn("counter", Factory(store), SupervisorStrategy.Restart(3, TimeSpan.FromMinutes(1)));

        await actor.Completion.Within();

        Assert.IsType<IOException>(actor.Failure);
        Assert.Equal(4, store.Instances);
        Assert.Equal(0, store.PostStops);
    }
}
