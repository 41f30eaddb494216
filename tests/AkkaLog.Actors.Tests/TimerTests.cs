using static AkkaLog.Actors.Tests.ProbeActor;

namespace AkkaLog.Actors.Tests;

public sealed class TimerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task OnceTimerFiresAfterItsDelayThroughTheMailbox()
    {
        var time = new ManualTimeProvider();
        await using var system = new ActorSystem(timeProvider: time);
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));
        actor.Tell(new Once("t", Second, 42));
        await SnapshotAsync(actor).Within();

        time.Advance(Second - TimeSpan.FromTicks(1));
        Assert.Empty(await SnapshotAsync(actor).Within());
        time.Advance(TimeSpan.FromTicks(1));
        actor.Tell(new Note(1));

        Assert.Equal(new[] { 42, 1 }, await SnapshotAsync(actor).Within());
        time.Advance(Second * 10);
        Assert.Equal(new[] { 42, 1 }, await SnapshotAsync(actor).Within());
    }

    [Fact]
    public async Task PeriodicTimerFiresEachIntervalUntilCancelled()
    {
        var time = new ManualTimeProvider();
        await using var system = new ActorSystem(timeProvider: time);
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));
        actor.Tell(new Periodic("tick", Second, 7));
        await SnapshotAsync(actor).Within();

        for (var i = 0; i < 3; i++)
        {
            time.Advance(Second);
            await SnapshotAsync(actor).Within();
        }

        actor.Tell(new Cancel("tick"));
        await SnapshotAsync(actor).Within();
        time.Advance(Second * 5);

        Assert.Equal(new[] { 7, 7, 7 }, await SnapshotAsync(actor).Within());
        Assert.Equal(0, time.ActivePeriodicTimers);
    }

    [Fact]
    public async Task SlowActorGetsOnePendingPeriodicTickNotABacklog()
    {
        var time = new ManualTimeProvider();
        await using var system = new ActorSystem(timeProvider: time);
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));
        actor.Tell(new Periodic("tick", Second, 7));
        var gate = new TaskCompletionSource();
        await BlockAsync(actor, gate.Task);

        time.Advance(Second * 5);
        gate.SetResult();

        Assert.Equal(new[] { 7 }, await SnapshotAsync(actor).Within());
    }

    [Fact]
    public async Task CancelDropsATimerMessageAlreadyInTheMailbox()
    {
        var time = new ManualTimeProvider();
        await using var system = new ActorSystem(timeProvider: time);
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));
        actor.Tell(new Once("t", Second, 42));
        var gate = new TaskCompletionSource();
        await BlockAsync(actor, gate.Task, cancelKey: "t");

        time.Advance(Second); // the timer message is queued behind the Block
        gate.SetResult(); // the Block cancels "t" before the queued message is taken

        Assert.Empty(await SnapshotAsync(actor).Within());
    }

    [Fact]
    public async Task RescheduleReplacesTheTimer()
    {
        var time = new ManualTimeProvider();
        await using var system = new ActorSystem(timeProvider: time);
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));
        actor.Tell(new Once("t", Second, 1));
        actor.Tell(new Once("t", Second * 3, 2));
        await SnapshotAsync(actor).Within();

        time.Advance(Second * 2);
        Assert.Empty(await SnapshotAsync(actor).Within());
        time.Advance(Second);

        Assert.Equal(new[] { 2 }, await SnapshotAsync(actor).Within());
    }

    [Fact]
    public async Task TimersAreCancelledOnRestartAndStop()
    {
        var time = new ManualTimeProvider();
        var log = new Log();
        await using var system = new ActorSystem(timeProvider: time);
        var actor = system.Spawn("probe", () => new ProbeActor(log));
        actor.Tell(new Periodic("tick", Second, 7));
        actor.Tell(new Crash(0));
        await SnapshotAsync(actor).Within();

        time.Advance(Second * 3);
        Assert.Equal(new[] { 0 }, await SnapshotAsync(actor).Within());

        actor.Tell(new Periodic("tick", Second, 7));
        await actor.StopAsync().Within();
        Assert.Equal(0, time.ActivePeriodicTimers);
    }

    [Fact]
    public async Task OnceTimerFiresWithRealClock()
    {
        var log = new Log { SignalOn = 5 };
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(log));

        actor.Tell(new Once("t", TimeSpan.FromMilliseconds(20), 5));

        await log.Signal.Task.Within();
        Assert.Equal([5], log.Values);
    }
}
