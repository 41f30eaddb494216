using System.Net;
using System.Text.Json;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>
/// Consumer lag is visible: the HTTP admin API reports, per group and partition, the committed
/// offset, the log end offset and their difference, and lists groups with their state.
/// </summary>
[Collection(CrashCollection.Name)]
public sealed class AdminApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Lag_per_partition_is_log_end_minus_committed_offset()
    {
        int httpPort = TestPaths.FreePort();
        await using var broker = await BrokerProcess.StartNewAsync("admin-api", new Dictionary<string, string>
        {
            ["admin.http.listener"] = $"127.0.0.1:{httpPort}",
            ["offsets.topic.num.partitions"] = "2",
        });
        await broker.WithLogOnFailure(output, async () =>
        {
            await using var client = await broker.ConnectAsync();
            await client.CreateTopicOrFailAsync("lagging", 2);
            await client.ProduceAsync("lagging", 0, Batches.OfValues(Enumerable.Range(0, 30).Select(i => $"a{i}")), acks: 1);
            await client.ProduceAsync("lagging", 1, Batches.OfValues(Enumerable.Range(0, 12).Select(i => $"b{i}")), acks: 1);
            var committed = await client.CommitOffsetsAsync("lag-group", -1, "", [("lagging", 0, 10L), ("lagging", 1, 12L)]);
            Assert.All(committed, c => Assert.Equal(AkkaLog.Protocol.ErrorCode.None, c.Error));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            using var lag = JsonDocument.Parse(await http.GetStringAsync("/v1/groups/lag-group/lag"));
            var rows = lag.RootElement.GetProperty("partitions").EnumerateArray()
                .Select(p => (p.GetProperty("partition").GetInt32(), p.GetProperty("committedOffset").GetInt64(),
                    p.GetProperty("logEndOffset").GetInt64(), p.GetProperty("lag").GetInt64())).ToList();
            Assert.Equal([(0, 10L, 30L, 20L), (1, 12L, 12L, 0L)], rows);
            Assert.Equal(20, lag.RootElement.GetProperty("totalLag").GetInt64());

            using var groups = JsonDocument.Parse(await http.GetStringAsync("/v1/groups"));
            var group = Assert.Single(groups.RootElement.EnumerateArray());
            Assert.Equal("lag-group", group.GetProperty("group").GetString());
            Assert.Equal("Empty", group.GetProperty("state").GetString());

            var missing = await http.GetAsync("/v1/groups/no-such-group/lag");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("no-such-group", await missing.Content.ReadAsStringAsync());
        });
    }
}
