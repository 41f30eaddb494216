using AkkaLog.Protocol.Records;
using BenchmarkDotNet.Attributes;

namespace AkkaLog.Benchmarks;

/// <summary>Micro-benchmarks of the produce hot path: CRC-32C and batch validation (allocation-free).</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private byte[] _batch = [];
    private byte[] _block = [];

    [Params(100, 1024)]
    public int RecordSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var builder = new RecordBatchBuilder(CompressionCodec.None, 300 * 1024);
        var value = new byte[RecordSize];
        for (int i = 0; i < 256 * 1024 / (RecordSize + 10); i++) builder.Append(i, default, true, value, false);
        _batch = builder.ToArray();
        _block = new byte[1 << 20];
        new Random(1).NextBytes(_block);
    }

    /// <summary>CRC-32C over 1 MiB (hardware intrinsics).</summary>
    [Benchmark]
    public uint Crc32C_1MiB() => Crc32C.Compute(_block);

    /// <summary>Header + CRC + per-record parse of a 256 KiB uncompressed batch, as the produce path does.</summary>
    [Benchmark]
    public BatchValidationError ValidateBatch_256KiB() =>
        RecordBatchValidator.ValidateBatch(_batch, new RecordBatchLimits { FromProducer = true, ValidateRecords = true, MaxBatchBytes = 1 << 20 }, out _);
}
