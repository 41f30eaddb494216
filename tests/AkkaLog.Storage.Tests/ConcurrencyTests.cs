using AkkaLog.Protocol.Records;
using static AkkaLog.Storage.Tests.Batches;

namespace AkkaLog.Storage.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reader_thread_never_sees_a_partial_batch_while_the_owner_appends_and_retention_runs()
    {
        var config = Small with { SegmentBytes = 16 * 1024, IndexIntervalBytes = 512, RetentionBytes = 200 * 1024 };
        var log = Open(_dir.Path, config, _time);
        const int batches = 3000;
        var appended = new long[batches];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        long readBatches = 0, outOfRange = 0;

        var reader = Task.Run(() =>
        {
            long next = 0;
            while (!stop.IsCancellationRequested)
            {
                using var result = log.Read(next, 8 * 1024, long.MaxValue, minOneBatch: true);
                if (result.Status == LogReadStatus.OffsetOutOfRange)
                {
                    Assert.True(next < result.LogStartOffset, $"out of range at {next} with start {result.LogStartOffset}");
                    outOfRange++;
                    next = result.LogStartOffset;
                    continue;
                }
                var bytes = result.Records.Span;
                long expectedBase = result.FirstOffset;
                while (bytes.Length > 0)
                {
                    Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(bytes,
                        new RecordBatchLimits { ValidateRecords = true }, out var header));
                    Assert.Equal(expectedBase, header.BaseOffset);
                    expectedBase = header.NextOffset;
                    bytes = bytes[header.TotalSize..];
                    readBatches++;
                }
                if (!result.IsEmpty) next = result.NextOffset;
                else if (next >= (long)batches * 2) return;
                else Thread.Yield();
            }
            throw new TimeoutException($"reader stopped at {next}");
        });

        for (int i = 0; i < batches; i++)
        {
            appended[i] = Append(log, 2, _time.NowMs, valueSize: 30 + i % 200).BaseOffset;
            if (i % 100 == 99) log.ApplyRetention(_time.NowMs);
        }
        await reader;
        Assert.True(readBatches > 0);
        Assert.Equal((long)batches * 2, log.LogEndOffset);
        log.Close();
    }
}
