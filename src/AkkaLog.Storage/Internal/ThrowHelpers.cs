using System.Diagnostics.CodeAnalysis;

namespace AkkaLog.Storage.Internal;

/// <summary>Throw helpers that keep the append path small.</summary>
internal static class ThrowHelpers
{
    [DoesNotReturn]
    public static void ThrowNotWholeBatches() =>
        throw new ArgumentException("the span must hold one or more whole, validated record batches");

    [DoesNotReturn]
    public static void ThrowClosed(TopicPartition partition) =>
        throw new ObjectDisposedException(partition.ToString(), "the log is closed");
}
