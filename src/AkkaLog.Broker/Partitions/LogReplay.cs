using AkkaLog.Protocol.Records;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// Reads a partition log's batches in order, a chunk at a time, for state that is rebuilt from the
/// log (group offsets, idempotent producers). Stops at the end, at a read error, or at bytes that do
/// not frame a whole batch; never spins on a chunk that makes no progress.
/// </summary>
internal static class LogReplay
{
    /// <summary>Bytes read per chunk (a larger batch is still read whole).</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Calls <paramref name="visit"/> with each batch (bytes and header) from the one holding
    /// <paramref name="from"/> up to <paramref name="until"/> (exclusive). The first batch may start
    /// before <paramref name="from"/>.
    /// </summary>
    public static void ForEachBatch(PartitionLog log, long from, long until, Action<ReadOnlyMemory<byte>, RecordBatchHeader> visit)
    {
        long offset = from;
        while (offset < until)
        {
            using var read = log.Read(offset, ChunkBytes, until, minOneBatch: true);
            if (read.Status != LogReadStatus.Ok || read.IsEmpty) return;
            var data = read.Records;
            long next = offset;
            while (data.Length >= RecordBatchHeader.Size)
            {
                var header = RecordBatchHeader.Read(data.Span);
                if (header.TotalSize > data.Length || header.TotalSize < RecordBatchHeader.Size) break;
                visit(data[..header.TotalSize], header);
                next = Math.Max(next, header.NextOffset);
                data = data[header.TotalSize..];
            }
            if (next <= offset) return;
            offset = next;
        }
    }
}
