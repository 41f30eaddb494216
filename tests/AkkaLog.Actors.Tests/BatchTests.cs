namespace AkkaLog.Actors.Tests;

public sealed class BatchTests
{
    [Fact]
    public async Task TryReceiveNextDrainsQueuedMessagesIntoOneTurn()
    {
        var batches = new List<int>();
        await using var system = new ActorSystem();
        var actor = system.Spawn("log", () => new GroupCommitActor(batches));
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        actor.Tell(new Hold(started, gate.Task));
        await started.Task.Within();

        var appends = Enumerable.Range(0, 50)
            .Select(i => actor.Ask<long>(reply => new Append(i, reply), TestTimeouts.Long))
            .ToArray();
        gate.SetResult();
        var offsets = await Task.WhenAll(appends).Within();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), offsets);
        Assert.Equal([50], batches); // one group commit for all queued appends
    }

    [Fact]
    public async Task FailureFailsEveryAskTakenInTheTurn()
    {
        var batches = new List<int>();
        await using var system = new ActorSystem();
        var actor = system.Spawn("log", () => new GroupCommitActor(batches));
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        actor.Tell(new Hold(started, gate.Task));
        await started.Task.Within();

        var before = actor.Ask<long>(reply => new Append(1, reply), TestTimeouts.Long);
        var poison = actor.Ask<long>(reply => new Append(-1, reply), TestTimeouts.Long);
        gate.SetResult();

        await Assert.ThrowsAsync<IOException>(() => before).Within();
        await Assert.ThrowsAsync<IOException>(() => poison).Within();
        Assert.Equal(0, await actor.Ask<long>(reply => new Append(2, reply), TestTimeouts.Long).Within());
    }

    [Fact]
    public void TryReceiveNextOutsideReceiveThrows()
    {
        var actor = new GroupCommitActor([]);
        Assert.Throws<InvalidOperationException>(() => actor.PeekOutsideTurn());
    }

    private abstract record Command;

    private sealed record Hold(TaskCompletionSource Started, Task Gate) : Command;

    private sealed record Append(int Value, TaskCompletionSource<long> Reply) : Command;

    /// <summary>Appends a batch, then "fsyncs" and replies once, like a partition log would.</summary>
    private sealed class GroupCommitActor(List<int> batches) : Actor<Command>
    {
        private readonly List<Append> _pending = [];
        private long _nextOffset;

        public bool PeekOutsideTurn() => TryReceiveNext(out _);

        protected override async ValueTask ReceiveAsync(Command message)
        {
            if (message is Hold hold)
            {
                hold.Started.SetResult();
                await hold.Gate;
                return;
            }

            _pending.Clear();
            _pending.Add((Append)message);
            while (TryReceiveNext(out var next))
            {
                _pending.Add((Append)next);
            }

            if (_pending.Exists(a => a.Value < 0))
            {
                throw new IOException("disk full");
            }

            batches.Add(_pending.Count);
            foreach (var append in _pending)
            {
                append.Reply.TrySetResult(_nextOffset++);
            }
        }
    }
}
