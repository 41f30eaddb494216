using System.Text;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Protocol.Tests.Records;

public class Crc32CTests
{
    [Fact]
    public void Known_check_value() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8)); // the standard CRC-32C check value

    [Fact]
    public void Empty_input() => Assert.Equal(0u, Crc32C.Compute([]));

    [Fact]
    public void Hardware_path_matches_table_for_every_length_and_alignment()
    {
        var data = new byte[1031];
        new Random(7).NextBytes(data);
        for (int start = 0; start < 9; start++)
        for (int length = 0; length < 200; length += 7)
        {
            var span = data.AsSpan(start, length);
            Assert.Equal(~Crc32C.UpdateTable(0xFFFFFFFF, span), Crc32C.Compute(span));
        }
    }

    [Fact]
    public void Interleaved_blocks_match_table_across_chunk_boundaries()
    {
        // Inputs from one byte short of a three-block chunk up to several chunks plus a tail, at odd offsets.
        var data = new byte[12_000];
        new Random(11).NextBytes(data);
        foreach (int length in new[] { 1535, 1536, 1537, 1543, 3072, 3079, 4608, 5000, 11_990 })
        for (int start = 0; start < 4; start++)
        {
            var span = data.AsSpan(start, length);
            Assert.Equal(~Crc32C.UpdateTable(0xFFFFFFFF, span), Crc32C.Compute(span));
        }
    }

    [Fact]
    public void Interleaved_blocks_continue_a_running_crc()
    {
        var data = new byte[10_000];
        new Random(3).NextBytes(data);
        foreach (int split in new[] { 1, 7, 1536, 4000, 8463 })
        {
            uint running = Crc32C.Update(Crc32C.Update(0xFFFFFFFF, data.AsSpan(0, split)), data.AsSpan(split));
            Assert.Equal(~Crc32C.UpdateTable(0xFFFFFFFF, data), ~running);
        }
    }

    [Fact]
    public void Incremental_update_equals_one_shot()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        uint running = Crc32C.Update(0xFFFFFFFF, data.AsSpan(0, 10));
        running = Crc32C.Update(running, data.AsSpan(10));
        Assert.Equal(Crc32C.Compute(data), ~running);
        Assert.Equal(0x22620404u, Crc32C.Compute(data));
    }
}
