using System.Text;
using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams.Tests.Unit;

/// <summary>The persistent store's local file: read back, torn and corrupt tails cut off, compaction.</summary>
public sealed class StoreFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "akkalog-storefile-" + Guid.NewGuid().ToString("N")[..8]);
    private string PathOf => Path.Combine(_dir, "s.log");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private Dictionary<string, string?> ReadBack(out long count)
    {
        var map = new Dictionary<string, string?>();
        using var file = new StoreFile(PathOf);
        count = file.ReadAll((k, v) => map[Encoding.UTF8.GetString(k)] = v is null ? null : Encoding.UTF8.GetString(v));
        return map;
    }

    [Fact]
    public void Entries_and_deletes_read_back_in_order()
    {
        using (var file = new StoreFile(PathOf))
        {
            file.Append(B("a"), B("1"));
            file.Append(B("b"), B("2"));
            file.Append(B("a"), B("3"));
            file.Append(B("b"), null);
            file.Flush();
        }
        var map = ReadBack(out long count);
        Assert.Equal(4, count);
        Assert.Equal("3", map["a"]);
        Assert.Null(map["b"]);
    }

    [Fact]
    public void A_torn_tail_is_cut_and_appending_continues_after_the_last_good_entry()
    {
        using (var file = new StoreFile(PathOf))
        {
            file.Append(B("a"), B("1"));
            file.Append(B("b"), B("22"));
            file.Flush();
        }
        long full = new FileInfo(PathOf).Length;
        using (var fs = new FileStream(PathOf, FileMode.Open)) fs.SetLength(full - 1);
        var map = ReadBack(out long count);
        Assert.Equal(1, count);
        Assert.Equal(["a"], map.Keys);
        using (var file = new StoreFile(PathOf))
        {
            file.ReadAll((_, _) => { });
            file.Append(B("c"), B("3"));
            file.Flush();
        }
        Assert.Equal(["a", "c"], ReadBack(out _).Keys.Order());
    }

    [Fact]
    public void A_corrupt_entry_ends_the_file_there()
    {
        using (var file = new StoreFile(PathOf))
        {
            file.Append(B("a"), B("1"));
            file.Append(B("b"), B("2"));
            file.Append(B("c"), B("3"));
            file.Flush();
        }
        var bytes = File.ReadAllBytes(PathOf);
        int second = 12 + 1 + 1;
        bytes[second + 12] ^= 0xFF; // the second entry's key byte
        File.WriteAllBytes(PathOf, bytes);
        var map = ReadBack(out long count);
        Assert.Equal(1, count);
        Assert.Equal(second, new FileInfo(PathOf).Length);
    }

    [Fact]
    public void Rewrite_keeps_exactly_the_live_entries()
    {
        using (var file = new StoreFile(PathOf))
        {
            for (int i = 0; i < 100; i++) file.Append(B("k" + (i % 5)), B(i.ToString()));
            file.Rewrite(Enumerable.Range(0, 5).Select(i => (B("k" + i), B("v" + i))));
            file.Append(B("k9"), B("x"));
            file.Flush();
        }
        var map = ReadBack(out long count);
        Assert.Equal(6, count);
        Assert.Equal("v3", map["k3"]);
        Assert.Equal("x", map["k9"]);
    }
}
