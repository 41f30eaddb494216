namespace AkkaLog.Client.Tests.Unit;

public sealed class ConfigTests
{
    [Fact]
    public void Unset_keys_read_as_the_java_client_defaults()
    {
        var c = new ProducerConfig();
        Assert.Equal(Acks.All, c.Acks);
        Assert.Equal(5, c.LingerMs);
        Assert.Equal(16384, c.BatchSize);
        Assert.Equal(CompressionType.None, c.CompressionType);
        Assert.Equal(int.MaxValue, c.Retries);
        Assert.Equal(100, c.RetryBackoffMs);
        Assert.Equal(120000, c.DeliveryTimeoutMs);
        Assert.Equal(33554432, c.BufferMemory);
        Assert.Equal(1048576, c.MaxRequestSize);
        Assert.Equal(30000, c.RequestTimeoutMs);
        Assert.Equal(60000, c.MaxBlockMs);
        Assert.Equal(Partitioner.Murmur2, c.Partitioner);
        Assert.Equal(300000, c.MetadataMaxAgeMs);
        Assert.Equal(50, c.ReconnectBackoffMs);
        Assert.Null(c.BootstrapServers);
    }

    [Fact]
    public void Max_in_flight_defaults_as_in_librdkafka_five_with_idempotence_unless_set()
    {
        Assert.Equal(1_000_000, new ProducerConfig().MaxInFlight);
        Assert.Equal(5, new ProducerConfig { EnableIdempotence = true }.MaxInFlight);
        Assert.Equal(3, new ProducerConfig { EnableIdempotence = true, MaxInFlight = 3 }.MaxInFlight);
        Assert.Equal(7, new ProducerConfig { MaxInFlight = 7 }.MaxInFlight);
    }

    [Theory]
    [InlineData("all", Acks.All)]
    [InlineData("-1", Acks.All)]
    [InlineData("1", Acks.Leader)]
    [InlineData("0", Acks.None)]
    public void Acks_parses_every_kafka_spelling(string raw, Acks expected)
    {
        var c = new ProducerConfig { ["acks"] = raw };
        Assert.Equal(expected, c.Acks);
    }

    [Fact]
    public void Typed_properties_write_kafka_named_string_keys()
    {
        var c = new ProducerConfig
        {
            BootstrapServers = "a:1,b", LingerMs = 20, CompressionType = CompressionType.Zstd, Acks = Acks.Leader,
            Partitioner = Partitioner.Murmur2Random,
        };
        var dict = c.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("a:1,b", dict["bootstrap.servers"]);
        Assert.Equal("20", dict["linger.ms"]);
        Assert.Equal("zstd", dict["compression.type"]);
        Assert.Equal("1", dict["acks"]);
        Assert.Equal("murmur2_random", dict["partitioner"]);
        Assert.Equal(c.ToDictionary(kv => kv.Key, kv => kv.Value), new ProducerConfig(dict).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    [Fact]
    public void Unknown_keys_are_rejected_naming_the_key()
    {
        var e = Assert.Throws<ArgumentException>(() => new ProducerConfig { ["linger.msec"] = "5" });
        Assert.Equal("linger.msec", e.ParamName);
        Assert.Contains("linger.msec", e.Message);
        // A producer key is unknown to the admin client.
        Assert.Equal("acks", Assert.Throws<ArgumentException>(() => new AdminClientConfig { ["acks"] = "1" }).ParamName);
        Assert.Equal("x.y", Assert.Throws<ArgumentException>(() =>
            new ProducerBuilder<string, string>([new("bootstrap.servers", "h"), new("x.y", "1")])).ParamName);
    }

    [Theory]
    [InlineData("acks", "2")]
    [InlineData("linger.ms", "soon")]
    [InlineData("batch.size", "0")]
    [InlineData("compression.type", "brotli")]
    [InlineData("allow.auto.create.topics", "yes")]
    public void Invalid_values_are_rejected_naming_the_key(string key, string value)
    {
        var e = Assert.Throws<ArgumentException>(() => new ProducerConfig { [key] = value });
        Assert.Equal(key, e.ParamName);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void Build_checks_required_and_consistent_settings()
    {
        Assert.Equal("bootstrap.servers", Assert.Throws<ArgumentException>(() => new ProducerBuilder<string, string>(new ProducerConfig()).Build()).ParamName);
        Assert.Equal("bootstrap.servers", Assert.Throws<ArgumentException>(() =>
            new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = "host:notaport" }).Build()).ParamName);
        Assert.Equal("delivery.timeout.ms", Assert.Throws<ArgumentException>(() =>
            new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = "h", DeliveryTimeoutMs = 1000 }).Build()).ParamName);
        Assert.Throws<InvalidOperationException>(() => new ProducerBuilder<Guid, string>(new ProducerConfig { BootstrapServers = "h" }).Build());
    }
}
