using System.Runtime.Intrinsics.X86;
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
            // Compute folds inputs this long where the CPU can: check the interleaved CRC-instruction path itself too.
            if (Sse42.X64.IsSupported) Assert.Equal(~Crc32C.UpdateTable(0xFFFFFFFF, span), ~Crc32C.UpdateSse42X64(0xFFFFFFFF, span));
        }
    }

    [Fact]
    public void Folding_matches_table_for_every_length_from_its_minimum_and_any_register()
    {
        // Every length over several 256-byte steps covers each mix of whole 256-, 64- and 16-byte pieces and tails.
        var data = new byte[1600];
        var random = new Random(5);
        random.NextBytes(data);
        for (int length = 500; length <= 1500; length++)
        {
            int start = length % 5;
            uint register = (uint)random.Next() ^ ((uint)length << 20);
            var span = data.AsSpan(start, length);
            Assert.Equal(Crc32C.UpdateTable(register, span), Crc32C.Update(register, span));
        }
    }

    [Fact]
    public void Folding_matches_table_on_a_whole_batch_and_continues_a_running_crc()
    {
        var data = new byte[256 * 1024 + 13];
        new Random(9).NextBytes(data);
        Assert.Equal(~Crc32C.UpdateTable(0xFFFFFFFF, data), Crc32C.Compute(data));
        uint running = 0xFFFFFFFF;
        for (int at = 0; at < data.Length; at += 4608) running = Crc32C.Update(running, data.AsSpan(at, Math.Min(4608, data.Length - at)));
        Assert.Equal(Crc32C.Compute(data), ~running);
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

    [Fact]
    public void Combine_gives_the_crc_of_the_concatenation_for_any_split()
    {
        var data = new byte[300_000];
        new Random(5).NextBytes(data);
        foreach (int split in new[] { 0, 1, 40, 1535, 4096, 65_537, 262_083, 299_999, 300_000 })
        {
            var a = data.AsSpan(0, split);
            var b = data.AsSpan(split);
            Assert.Equal(Crc32C.Compute(data), Crc32C.Combine(Crc32C.Compute(a), Crc32C.Compute(b), b.Length));
        }
    }

    [Fact]
    public void Combine_agrees_with_reading_long_runs_and_with_itself_past_four_gigabytes()
    {
        var zeros = new byte[8 << 20];
        uint prefix = Crc32C.Compute("abc"u8);
        uint expected = Crc32C.Compute([.. "abc"u8, .. zeros]);
        Assert.Equal(expected, Crc32C.Combine(prefix, Crc32C.Compute(zeros), zeros.Length));

        // Megabyte by megabyte gives the same answer as all at once.
        uint megabyte = Crc32C.Compute(zeros.AsSpan(0, 1 << 20));
        uint stepwise = prefix;
        for (int i = 0; i < 8; i++) stepwise = Crc32C.Combine(stepwise, megabyte, 1 << 20);
        Assert.Equal(expected, stepwise);

        // Lengths past 2^32 bytes use powers beyond the first 32: shifting by 2^33 is shifting by 2^32 twice.
        Assert.Equal(Crc32C.Combine(Crc32C.Combine(prefix, 0, 1L << 32), 0, 1L << 32), Crc32C.Combine(prefix, 0, 1L << 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => Crc32C.Combine(0, 0, -1));
    }
}
