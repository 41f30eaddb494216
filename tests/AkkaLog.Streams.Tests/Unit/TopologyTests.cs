namespace AkkaLog.Streams.Tests.Unit;

/// <summary>How the DSL splits into sub-topologies, and bad wiring or settings refused with a reason.</summary>
public sealed class TopologyTests
{
    [Fact]
    public void A_repartition_splits_the_topology_in_two()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in").GroupBy((_, v) => v, Grouped<string, string>.As("by-value")).Count(Materialized<string, long>.As("c"));
        var topology = builder.Build();
        string text = topology.Describe();
        Assert.Contains("Sub-topology 0: sources [in]", text);
        Assert.Contains("Sub-topology 1: sources [<app>-by-value-repartition] stores [c]", text);
        Assert.Equal(["c"], topology.StoreNames);
    }

    [Fact]
    public void Reading_a_topic_twice_duplicate_stores_and_bad_names_are_refused()
    {
        var twice = new StreamsBuilder();
        twice.Stream<string, string>("t").ForEach((_, _) => { });
        twice.Stream<string, string>("t").ForEach((_, _) => { });
        Assert.Contains("read by two sub-topologies", Assert.Throws<TopologyException>(() => twice.Build()).Message);

        var dup = new StreamsBuilder();
        dup.Stream<string, string>("a").GroupByKey().Count(Materialized<string, long>.As("same"));
        Assert.Contains("already exists", Assert.Throws<TopologyException>(() => dup.Stream<string, string>("b").GroupByKey().Count(Materialized<string, long>.As("same"))).Message);

        var bad = new StreamsBuilder();
        Assert.Contains("may only hold", Assert.Throws<TopologyException>(() => bad.Stream<string, string>("a").GroupByKey().Count(Materialized<string, long>.As("no spaces"))).Message);
        Assert.Throws<ArgumentException>(() => bad.Stream<string, string>(""));
        Assert.Contains("no source", Assert.Throws<TopologyException>(() => new StreamsBuilder().Build()).Message);
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_setting_named()
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>("in").ForEach((_, _) => { });
        var topology = builder.Build();
        Assert.Contains("application.id", Assert.Throws<ArgumentException>(() => new StreamsApp(topology, new StreamsConfig { BootstrapServers = "x:1" })).Message);
        Assert.Contains("application.id", Assert.Throws<ArgumentException>(() => new StreamsApp(topology, new StreamsConfig { ApplicationId = "a b", BootstrapServers = "x:1" })).Message);
        Assert.Contains("bootstrap.servers", Assert.Throws<ArgumentException>(() => new StreamsApp(topology, new StreamsConfig { ApplicationId = "a" })).Message);
        Assert.Contains("commit.interval.ms", Assert.Throws<ArgumentException>(() => new StreamsApp(topology, new StreamsConfig { ApplicationId = "a", BootstrapServers = "x:1", CommitIntervalMs = 0 })).Message);
        Assert.Contains("transactions", Assert.Throws<NotSupportedException>(() =>
            new StreamsApp(topology, new StreamsConfig { ApplicationId = "a", BootstrapServers = "x:1", ProcessingGuarantee = ProcessingGuarantee.ExactlyOnce })).Message);
    }
}
