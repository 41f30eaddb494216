using AkkaLog.Broker.Config;
using AkkaLog.Hocon;
using Microsoft.Extensions.Configuration;

namespace AkkaLog.Broker.Tests.Config;

public class BrokerConfigTests
{
    private static BrokerConfig With(params (string, string)[] pairs) =>
        BrokerConfig.From(pairs.Select(p => KeyValuePair.Create(p.Item1, (string?)p.Item2)));

    [Fact]
    public void Reference_conf_documents_exactly_the_known_keys_with_their_defaults()
    {
        var configuration = new ConfigurationBuilder().AddHoconFile(Path.Combine(RepoPaths.Root, "hocon", "reference.conf")).Build();
        var inFile = configuration.AsEnumerable().Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key.Replace(':', '.'), kv => kv.Value!);
        var withDefaults = BrokerConfigKeys.All.Values.Where(k => k.Default is not null).ToList();
        Assert.Equal(withDefaults.Select(k => k.Name).Order(), inFile.Keys.Order());
        foreach (var key in withDefaults)
            Assert.Equal(key.Default, inFile[key.Name]);
        string text = File.ReadAllText(Path.Combine(RepoPaths.Root, "hocon", "reference.conf"));
        foreach (var key in BrokerConfigKeys.All.Values.Where(k => k.Default is null))
            Assert.Contains($"# {key.Name} =", text);
    }

    [Fact]
    public void Unknown_key_fails_naming_it_and_its_source()
    {
        var e = Assert.Throws<ConfigException>(() => BrokerConfig.From(
            [KeyValuePair.Create("log.retention.hourz", (string?)"5")], _ => "my.conf:3"));
        Assert.Equal("log.retention.hourz", e.Key);
        Assert.Contains("log.retention.hourz", e.Message);
        Assert.Contains("my.conf:3", e.Message);
    }

    [Theory]
    [InlineData("num.partitions", "zero")]
    [InlineData("num.partitions", "0")]
    [InlineData("auto.create.topics.enable", "yes")]
    [InlineData("log.message.timestamp.type", "WallClock")]
    [InlineData("log.cleanup.policy", "delete,shred")]
    [InlineData("message.max.bytes", "99999999999")]
    public void Invalid_values_fail_naming_the_key(string key, string value)
    {
        var e = Assert.Throws<ConfigException>(() => With((key, value)));
        Assert.Equal(key, e.Key);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void Sizes_and_durations_accept_units()
    {
        var config = With(("log.segment.bytes", "256MiB"), ("log.retention.ms", "3d"));
        Assert.Equal("268435456", config.Get("log.segment.bytes"));
        Assert.Equal((3L * 24 * 3600 * 1000).ToString(), config.TopicDefault("retention.ms"));
    }

    [Fact]
    public void Retention_follows_Kafkas_fallback_chain()
    {
        Assert.Equal((168L * 3600 * 1000).ToString(), BrokerConfig.Defaults.TopicDefault("retention.ms"));
        Assert.Equal((2L * 3600 * 1000).ToString(), With(("log.retention.hours", "2")).TopicDefault("retention.ms"));
        Assert.Equal((5L * 60 * 1000).ToString(), With(("log.retention.hours", "2"), ("log.retention.minutes", "5")).TopicDefault("retention.ms"));
        Assert.Equal("7", With(("log.retention.minutes", "5"), ("log.retention.ms", "7")).TopicDefault("retention.ms"));
        Assert.Equal("-1", With(("log.retention.hours", "-1")).TopicDefault("retention.ms"));
    }

    [Fact]
    public void Broker_id_wins_over_node_id_and_advertised_listeners_fall_back()
    {
        var config = With(("node.id", "3"), ("broker.id", "7"), ("listeners", "PLAINTEXT://127.0.0.1:1234"));
        Assert.Equal(7, config.NodeId);
        Assert.Equal(["PLAINTEXT://127.0.0.1:1234"], config.AdvertisedListeners);
    }

    [Fact]
    public void Topic_settings_resolve_overrides_over_broker_defaults()
    {
        var broker = With(("message.max.bytes", "5000"), ("log.message.timestamp.type", "LogAppendTime"));
        var settings = TopicSettings.Resolve(broker, new Dictionary<string, string> { ["max.message.bytes"] = "100", ["cleanup.policy"] = "compact" });
        Assert.Equal(100, settings.MaxMessageBytes);
        Assert.Equal(AkkaLog.Protocol.Records.TimestampType.LogAppendTime, settings.TimestampType);
        Assert.True(settings.Compact);
        Assert.Equal(-1, settings.Log.RetentionMs); // compact-only topics have no time retention
    }

    [Fact]
    public void Topic_config_validation_rejects_unknown_keys_and_bad_values()
    {
        Assert.Equal("foo.bar", Assert.Throws<ConfigException>(() =>
            TopicSettings.Validate([KeyValuePair.Create("foo.bar", (string?)"1")])).Key);
        Assert.Equal("retention.ms", Assert.Throws<ConfigException>(() =>
            TopicSettings.Validate([KeyValuePair.Create("retention.ms", (string?)"abc")])).Key);
        var ok = TopicSettings.Validate([KeyValuePair.Create("retention.ms", (string?)"1h")]);
        Assert.Equal("3600000", ok["retention.ms"]);
    }
}
