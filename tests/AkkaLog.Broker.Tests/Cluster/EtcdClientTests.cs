using System.Text;
using AkkaLog.Broker.Cluster.Etcd;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>The JSON-gateway etcd client against a real etcd: KV, transactions, leases, watches, errors.</summary>
public sealed class EtcdClientTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    private EtcdClient Client => fixture.Client;
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    [Fact]
    public async Task Put_get_range_and_delete()
    {
        string p = EtcdFixture.NewPrefix();
        await Client.PutAsync(p + "a", Bytes("1"));
        await Client.PutAsync(p + "b", Bytes("2"));
        await Client.PutAsync(p + "b/c", Bytes("3"));
        await Client.PutAsync(p.TrimEnd('/') + "0", Bytes("outside")); // sorts right after the prefix

        var a = await Client.GetAsync(p + "a");
        Assert.NotNull(a);
        Assert.Equal("1", Text(a.Value));
        Assert.Null(await Client.GetAsync(p + "missing"));

        var all = await Client.RangeAsync(p, prefix: true);
        Assert.Equal([p + "a", p + "b", p + "b/c"], all.Kvs.Select(k => k.Key));
        Assert.True(all.Revision >= all.Kvs.Max(k => k.ModRevision));

        Assert.Equal(2, await Client.DeleteAsync(p + "b", prefix: true));
        Assert.Equal([p + "a"], (await Client.RangeAsync(p, prefix: true)).Kvs.Select(k => k.Key));
        Assert.Equal(0, await Client.DeleteAsync(p + "nothing"));
    }

    [Fact]
    public async Task Txn_create_if_absent_wins_once()
    {
        string key = EtcdFixture.NewPrefix() + "controller";
        var first = await Client.TxnAsync([EtcdCompare.Absent(key)], [new EtcdOp.Put(key, Bytes("1"))], [new EtcdOp.Get(key)]);
        var second = await Client.TxnAsync([EtcdCompare.Absent(key)], [new EtcdOp.Put(key, Bytes("2"))], [new EtcdOp.Get(key)]);
        Assert.True(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.Equal("1", Text(Assert.Single(second.Ranges[0]).Value));
    }

    [Fact]
    public async Task Txn_compare_and_swap_on_mod_revision()
    {
        string key = EtcdFixture.NewPrefix() + "state";
        await Client.PutAsync(key, Bytes("v1"));
        var read = (await Client.GetAsync(key))!;
        var swapped = await Client.TxnAsync([EtcdCompare.ModifiedAt(key, read.ModRevision)], [new EtcdOp.Put(key, Bytes("v2"))]);
        Assert.True(swapped.Succeeded);
        // The same stale revision no longer matches: the second writer loses.
        var stale = await Client.TxnAsync([EtcdCompare.ModifiedAt(key, read.ModRevision)], [new EtcdOp.Put(key, Bytes("v3"))]);
        Assert.False(stale.Succeeded);
        Assert.Equal("v2", Text((await Client.GetAsync(key))!.Value));
    }

    [Fact]
    public async Task Revoked_lease_takes_its_keys_with_it()
    {
        string key = EtcdFixture.NewPrefix() + "broker";
        long lease = await Client.GrantLeaseAsync(30);
        await Client.PutAsync(key, Bytes("alive"), lease);
        Assert.Equal(lease, (await Client.GetAsync(key))!.Lease);
        Assert.True(await Client.KeepAliveOnceAsync(lease) > 0);

        await Client.RevokeLeaseAsync(lease);
        Assert.Null(await Client.GetAsync(key));
        Assert.Equal(0, await Client.KeepAliveOnceAsync(lease));
        await Client.RevokeLeaseAsync(lease); // already gone: no error
        var e = await Assert.ThrowsAsync<EtcdException>(() => Client.PutAsync(key, Bytes("x"), lease));
        Assert.False(e.IsUnavailable);
    }

    [Fact]
    public async Task Lease_without_keepalive_expires()
    {
        string key = EtcdFixture.NewPrefix() + "short";
        long lease = await Client.GrantLeaseAsync(2);
        await Client.PutAsync(key, Bytes("x"), lease);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await Client.GetAsync(key) is not null && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Null(await Client.GetAsync(key));
    }

    [Fact]
    public async Task Watch_streams_puts_and_deletes_and_resumes_from_a_revision()
    {
        string p = EtcdFixture.NewPrefix();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<EtcdWatchEvent>();
        long startRevision = (await Client.RangeAsync(p, true)).Revision + 1;
        var watch = Task.Run(async () =>
        {
            await foreach (var batch in Client.WatchAsync(p, startRevision, cts.Token))
            {
                seen.AddRange(batch.Events);
                if (seen.Count >= 3) return;
            }
        });
        await Client.PutAsync(p + "x", Bytes("1"));
        await Client.PutAsync(p + "x", Bytes("2"));
        await Client.DeleteAsync(p + "x");
        await Client.PutAsync("/elsewhere" + p, Bytes("ignored"));
        await watch;
        Assert.Equal([false, false, true], seen.Select(e => e.IsDelete));
        Assert.Equal("2", Text(seen[1].Kv.Value));

        // A new watch from the second event's revision replays the history from there.
        var replay = new List<EtcdWatchEvent>();
        await foreach (var batch in Client.WatchAsync(p, seen[1].Kv.ModRevision, cts.Token))
        {
            replay.AddRange(batch.Events);
            if (replay.Count >= 2) break;
        }
        Assert.Equal([seen[1].Kv.ModRevision, seen[2].Kv.ModRevision], replay.Select(e => e.Kv.ModRevision));
    }

    [Fact]
    public async Task Unreachable_endpoints_fail_as_unavailable()
    {
        using var dead = new EtcdClient([$"http://127.0.0.1:{AkkaLog.TestSupport.TestPaths.FreePort()}"], TimeSpan.FromSeconds(2));
        var e = await Assert.ThrowsAsync<EtcdException>(() => dead.GetAsync("/k"));
        Assert.True(e.IsUnavailable);
    }

    [Fact]
    public async Task A_dead_endpoint_is_skipped_for_a_live_one()
    {
        using var client = new EtcdClient([$"http://127.0.0.1:{AkkaLog.TestSupport.TestPaths.FreePort()}", fixture.Etcd.Endpoint]);
        string key = EtcdFixture.NewPrefix() + "k";
        await client.PutAsync(key, Bytes("v"));
        Assert.Equal("v", Text((await client.GetAsync(key))!.Value));
    }

    [Theory]
    [InlineData("https://127.0.0.1:2379")]
    [InlineData("http://")]
    [InlineData("")]
    public void Bad_endpoints_are_rejected(string endpoint) =>
        Assert.Throws<ArgumentException>(() => new EtcdClient([endpoint]));

    [Fact]
    public void No_endpoints_are_rejected() => Assert.Throws<ArgumentException>(() => new EtcdClient([]));
}
