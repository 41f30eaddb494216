namespace AkkaLog.Actors.Tests;

/// <summary>
/// A counter actor whose state survives restarts through a "durable" store the test owns.
/// Messages: Add (persisted), Fail (throws), Get (Ask), Noop.
/// </summary>
internal sealed class DurableCounter(DurableCounter.Store store) : Actor<DurableCounter.Message>, IDisposable
{
    private int _count;

    // In memory only: a fresh instance starts at zero, which proves a restart replaced the instance.
    private int _messagesSeen;

    public abstract record Message;

    public sealed record Add(int Amount) : Message;

    public sealed record Fail(string Reason, TaskCompletionSource<int>? Reply = null) : Message;

    public sealed record Get(TaskCompletionSource<(int Count, int Seen)> Reply) : Message;

    public sealed class Store
    {
        public int Value;
        public int Instances;
        public int PreStarts;
        public int PostStops;
        public int Disposes;
        public int FailPreStarts;
    }

    public static Func<Actor<Message>> Factory(Store store) => () =>
    {
        Interlocked.Increment(ref store.Instances);
        return new DurableCounter(store);
    };

    public void Dispose() => Interlocked.Increment(ref store.Disposes);

    protected override ValueTask PreStartAsync()
    {
        store.PreStarts++;
        if (store.FailPreStarts > 0)
        {
            store.FailPreStarts--;
            throw new IOException("store not ready");
        }

        _count = store.Value;
        return ValueTask.CompletedTask;
    }

    protected override ValueTask PostStopAsync()
    {
        store.PostStops++;
        return ValueTask.CompletedTask;
    }

    protected override ValueTask ReceiveAsync(Message message)
    {
        _messagesSeen++;
        switch (message)
        {
            case Add add:
                _count += add.Amount;
                store.Value = _count;
                break;
            case Fail fail:
                _count += 1000; // corrupt in-memory state; a restart must discard it
                throw new InvalidOperationException(fail.Reason);
            case Get get:
                get.Reply.TrySetResult((_count, _messagesSeen));
                break;
        }

        return ValueTask.CompletedTask;
    }
}
