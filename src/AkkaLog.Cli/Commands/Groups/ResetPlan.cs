using System.Globalization;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Groups;

/// <summary>Where <c>group reset-offsets</c> moves each partition (exactly one is chosen).</summary>
internal enum ResetTarget
{
    /// <summary>The log start offset.</summary>
    Earliest,
    /// <summary>The log end offset (high watermark): nothing left to read.</summary>
    Latest,
    /// <summary>A given offset, clamped to [log start, log end] as kafka-consumer-groups does.</summary>
    Offset,
    /// <summary>The committed offset plus N (negative goes back), clamped likewise.</summary>
    ShiftBy,
}

/// <summary>
/// Computes new committed offsets from the current ones and each partition's watermarks. Pure, so
/// the arithmetic is testable without a broker.
/// </summary>
internal static class ResetPlan
{
    /// <summary>One partition's move.</summary>
    internal sealed record Move(string Topic, int Partition, long? CurrentOffset, long NewOffset);

    public static List<Move> Compute(IEnumerable<TopicPartition> partitions, IReadOnlyDictionary<TopicPartition, long> current,
        IReadOnlyDictionary<TopicPartition, WatermarkOffsets> watermarks, ResetTarget target, long value)
    {
        var moves = new List<Move>();
        foreach (var tp in partitions.OrderBy(t => t.Topic, StringComparer.Ordinal).ThenBy(t => t.Partition.Value))
        {
            var w = watermarks[tp];
            long low = w.Low.Value, high = w.High.Value;
            long? now = current.TryGetValue(tp, out long c) ? c : null;
            long next = target switch
            {
                ResetTarget.Earliest => low,
                ResetTarget.Latest => high,
                ResetTarget.Offset => value,
                // Without a committed offset there is nothing to shift from: refuse rather than guess a base.
                ResetTarget.ShiftBy => now is { } n ? n + value
                    : throw new CliFailure($"--shift-by: the group has no committed offset for {tp.Topic}-{tp.Partition.Value.ToString(CultureInfo.InvariantCulture)}"),
                _ => throw new ArgumentOutOfRangeException(nameof(target)),
            };
            moves.Add(new Move(tp.Topic, tp.Partition.Value, now, Math.Clamp(next, low, Math.Max(low, high))));
        }
        return moves;
    }
}
