using static AkkaLog.Actors.Tests.ProbeActor;

namespace AkkaLog.Actors.Tests;

public sealed class AskTests
{
    [Fact]
    public async Task AskReturnsTheReply()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));

        actor.Tell(new Note(1));
        actor.Tell(new Note(2));

        Assert.Equal(new[] { 1, 2 }, await SnapshotAsync(actor).Within());
    }

    [Fact]
    public async Task AskTimesOutOnTheSystemClock()
    {
        var time = new ManualTimeProvider();
        await using var system = new ActorSystem(timeProvider: time);
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));

        var ask = actor.Ask<int>(reply => new Ignore(reply), TimeSpan.FromSeconds(5));
        await SnapshotAsync(actor).Within(); // the Ignore has been processed
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(ask.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<AskTimeoutException>(() => ask).Within();
        Assert.Equal("probe", ex.ActorName);
        Assert.Equal(TimeSpan.FromSeconds(5), ex.Timeout);
    }

    [Fact]
    public async Task AskTimesOutWithRealClock()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));

        await Assert.ThrowsAsync<AskTimeoutException>(
            () => actor.Ask<int>(reply => new Ignore(reply), TimeSpan.FromMilliseconds(50))).Within();
    }

    [Fact]
    public async Task AskHonoursCancellation()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));
        using var cts = new CancellationTokenSource();

        var ask = actor.Ask<int>(reply => new Ignore(reply), Timeout.InfiniteTimeSpan, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask).Within();
    }

    [Fact]
    public async Task AskToStoppedActorFails()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));
        await actor.StopAsync().Within();

        await Assert.ThrowsAsync<ActorStoppedException>(() => SnapshotAsync(actor)).Within();
    }

    [Fact]
    public async Task ReplyContinuationDoesNotRunOnTheActorLoop()
    {
        await using var system = new ActorSystem();
        var actor = system.Spawn("probe", () => new ProbeActor(new Log()));
        var gate = new TaskCompletionSource();
        var replied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task? continuation = null;

        // Registered before the message is sent, so it is always attached when the actor replies.
        var ask = actor.Ask<int[]>(
            reply =>
            {
                continuation = reply.Task.ContinueWith(
                    _ =>
                    {
                        replied.SetResult();
                        gate.Task.Wait(TestTimeouts.Long);
                    },
                    TaskContinuationOptions.ExecuteSynchronously);
                return new Snapshot(reply);
            },
            TestTimeouts.Long);
        await replied.Task.Within();

        // If the reply ran the blocking continuation inline, the actor would be stuck now.
        actor.Tell(new Note(9));
        Assert.Equal(new[] { 9 }, await SnapshotAsync(actor).Within());
        gate.SetResult();
        await continuation!.Within();
        await ask.Within();
    }
}
