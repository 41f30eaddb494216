using System.Buffers;
using AkkaLog.Protocol.Compression;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Protocol.Tests.Records;

public class CompressionTests
{
    public static TheoryData<CompressionCodec> Codecs => new() { CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Round_trips_large_and_empty_inputs(CompressionCodec codec)
    {
        foreach (int size in new[] { 0, 1, 1000, 300_000 })
        {
            var input = new byte[size];
            var random = new Random(size);
            for (int i = 0; i < size; i++) input[i] = (byte)(random.Next(4) == 0 ? random.Next(256) : i % 17);
            var compressed = new ArrayBufferWriter<byte>();
            CompressionCodecs.Compress(codec, input, compressed);
            var output = new ArrayBufferWriter<byte>();
            CompressionCodecs.Decompress(codec, compressed.WrittenSpan, output);
            Assert.Equal(input, output.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void Snappy_reads_xerial_framing_as_the_java_client_writes_it()
    {
        var part1 = new byte[5000];
        var part2 = new byte[300];
        new Random(1).NextBytes(part1);
        Array.Fill(part2, (byte)'z');
        var framed = new List<byte> { 0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1 };
        foreach (var part in new[] { part1, part2 })
        {
            var block = IronSnappy.Snappy.Encode(part);
            framed.AddRange(BitConverter.GetBytes(System.Net.IPAddress.HostToNetworkOrder(block.Length)));
            framed.AddRange(block);
        }
        var output = new ArrayBufferWriter<byte>();
        CompressionCodecs.Decompress(CompressionCodec.Snappy, framed.ToArray(), output);
        Assert.Equal(part1.Concat(part2).ToArray(), output.WrittenSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Garbage_is_invalid_data(CompressionCodec codec)
    {
        var garbage = new byte[64];
        new Random(3).NextBytes(garbage);
        if (codec == CompressionCodec.Snappy) garbage[0] = 0xFF; // claims an enormous length
        Assert.Throws<InvalidDataException>(() => CompressionCodecs.Decompress(codec, garbage, new ArrayBufferWriter<byte>()));
    }
}
