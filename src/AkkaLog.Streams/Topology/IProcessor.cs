namespace AkkaLog.Streams.Internal;

/// <summary>One stage of a task's processor graph: takes a record and forwards zero or more downstream.</summary>
internal interface IProcessor<TKey, TValue>
{
    void Process(TKey key, TValue value, long timestamp);
}

/// <summary>A stage's downstream: every child gets each forwarded record, in order.</summary>
internal sealed class Forwarder<TKey, TValue>(IProcessor<TKey, TValue>[] children)
{
    public bool HasChildren => children.Length > 0;

    public void Forward(TKey key, TValue value, long timestamp)
    {
        foreach (var child in children) child.Process(key, value, timestamp);
    }
}

/// <summary>The entry of a sub-topology: raw bytes from one of its source topics.</summary>
internal interface ISourceProcessor
{
    void Process(byte[]? key, byte[]? value, long timestamp);
}
