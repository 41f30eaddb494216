using AkkaLog.Protocol;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Partitions;

/// <summary>Messages a <see cref="PartitionActor"/> understands.</summary>
public abstract record PartitionMessage
{
    private PartitionMessage() { }

    /// <summary>Append validated batches (the memory is the request frame's, patched in place).</summary>
    public sealed record Append(Memory<byte> Batches, TaskCompletionSource<AppendOutcome> Reply, bool Idempotent = false) : PartitionMessage;

    /// <summary>Move the log start offset forward (DeleteRecords); replies with the new low watermark.</summary>
    public sealed record DeleteRecords(long Offset, TaskCompletionSource<(ErrorCode Error, long LowWatermark)> Reply) : PartitionMessage;

    /// <summary>Apply retention now.</summary>
    public sealed record ApplyRetention : PartitionMessage;

    /// <summary>New topic settings after AlterConfigs.</summary>
    public sealed record Reconfigure(Config.TopicSettings Settings) : PartitionMessage;

    /// <summary>Flush to disk (periodic time-based flush, shutdown).</summary>
    public sealed record Flush : PartitionMessage;
}

/// <summary>Result of an append: an error, or the offsets assigned.</summary>
/// <param name="Error">NONE or why the append failed.</param>
/// <param name="Info">Offsets and timestamps assigned (when successful).</param>
public readonly record struct AppendOutcome(ErrorCode Error, LogAppendInfo? Info);
