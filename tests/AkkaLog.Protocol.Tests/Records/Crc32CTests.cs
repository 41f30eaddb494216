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
    public void Incremental_update_equals_one_shot()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        uint running = Crc32C.Update(0xFFFFFFFF, data.AsSpan(0, 10));
        running = Crc32C.Update(running, data.AsSpan(10));
        Assert.Equal(Crc32C.Compute(data), ~running);
        Assert.Equal(0x22620404u, Crc32C.Compute(data));
    }
}
