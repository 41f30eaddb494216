namespace AkkaLog.Actors.Tests;

/// <summary>
/// A scriptable actor for lifecycle, Ask and timer tests. It records every <see cref="Note"/>
/// value in the shared <see cref="Log"/>, which outlives instances.
/// </summary>
internal sealed class ProbeActor(ProbeActor.Log log) : Actor<ProbeActor.Message>
{
    public abstract record Message;

    /// <summary>Appends Value to the log.</summary>
    public sealed record Note(int Value) : Message;

    /// <summary>Signals Started, waits for Gate, then cancels timer CancelKey if given.</summary>
    public sealed record Block(TaskCompletionSource Started, Task Gate, string? CancelKey = null) : Message;

    /// <summary>Ask: replies with a snapshot of the log.</summary>
    public sealed record Snapshot(TaskCompletionSource<int[]> Reply) : Message;

    /// <summary>Ask that is never answered.</summary>
    public sealed record Ignore(TaskCompletionSource<int> Reply) : Message;

    public sealed record Once(string Key, TimeSpan Delay, int Value) : Message;

    public sealed record Periodic(string Key, TimeSpan Interval, int Value) : Message;

    public sealed record Cancel(string Key) : Message;

    /// <summary>Records the value, then throws.</summary>
    public sealed record Crash(int Value) : Message;

    public sealed class Log
    {
        private readonly List<int> _values = [];

        public int PostStops;

        public int ValuesAtPostStop = -1;

        /// <summary>Completed on each Note whose value equals SignalOn.</summary>
        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int SignalOn { get; init; } = int.MinValue;

        public int[] Values
        {
            get
            {
                lock (_values)
                {
                    return [.. _values];
                }
            }
        }

        public void Add(int value)
        {
            lock (_values)
            {
                _values.Add(value);
            }

            if (value == SignalOn)
            {
                Signal.TrySetResult();
            }
        }
    }

    public static Task<int[]> SnapshotAsync(ActorRef<Message> actor) =>
        actor.Ask<int[]>(reply => new Snapshot(reply), TestTimeouts.Long);

    /// <summary>Sends a Block and waits until the actor is inside it.</summary>
    public static async Task BlockAsync(ActorRef<Message> actor, Task gate, string? cancelKey = null)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(actor.Tell(new Block(started, gate, cancelKey)));
        await started.Task.Within();
    }

    protected override ValueTask PostStopAsync()
    {
        log.PostStops++;
        log.ValuesAtPostStop = log.Values.Length;
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask ReceiveAsync(Message message)
    {
        switch (message)
        {
            case Note note:
                log.Add(note.Value);
                break;
            case Block block:
                block.Started.TrySetResult();
                await block.Gate.ConfigureAwait(false);
                if (block.CancelKey is not null)
                {
                    CancelTimer(block.CancelKey);
                }

                break;
            case Snapshot snapshot:
                snapshot.Reply.TrySetResult(log.Values);
                break;
            case Once once:
                ScheduleOnce(once.Key, once.Delay, new Note(once.Value));
                break;
            case Periodic periodic:
                SchedulePeriodic(periodic.Key, periodic.Interval, new Note(periodic.Value));
                break;
            case Cancel cancel:
                CancelTimer(cancel.Key);
                break;
            case Crash crash:
                log.Add(crash.Value);
                throw new InvalidOperationException("crash");
        }
    }
}
