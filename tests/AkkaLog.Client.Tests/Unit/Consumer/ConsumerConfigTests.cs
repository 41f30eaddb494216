namespace AkkaLog.Client.Tests.Unit.Consumer;

public sealed class ConsumerConfigTests
{
    [Fact]
    public void Unset_keys_read_as_the_java_client_defaults()
    {
        var c = new ConsumerConfig();
        Assert.Null(c.GroupId);
        Assert.Equal(AutoOffsetReset.Latest, c.AutoOffsetReset);
        Assert.True(c.EnableAutoCommit);
        Assert.Equal(5000, c.AutoCommitIntervalMs);
        Assert.Equal(45000, c.SessionTimeoutMs);
        Assert.Equal(3000, c.HeartbeatIntervalMs);
        Assert.Equal(300000, c.MaxPollIntervalMs);
        Assert.Equal("range,cooperative-sticky", c.PartitionAssignmentStrategy);
        Assert.Equal(1, c.FetchMinBytes);
        Assert.Equal(52428800, c.FetchMaxBytes);
        Assert.Equal(1048576, c.MaxPartitionFetchBytes);
        Assert.Equal(500, c.FetchMaxWaitMs);
        Assert.Equal(IsolationLevel.ReadUncommitted, c.IsolationLevel);
        Assert.True(c.CheckCrcs);
        Assert.False(c.EnablePartitionEof);
    }

    [Theory]
    [InlineData("partition.assignment.strategy", "range,sticky")]
    [InlineData("partition.assignment.strategy", "range,range")]
    [InlineData("partition.assignment.strategy", "")]
    [InlineData("auto.offset.reset", "smallest")]
    [InlineData("isolation.level", "committed")]
    public void Invalid_values_are_rejected_naming_the_key(string key, string value)
    {
        Assert.Equal(key, Assert.Throws<ArgumentException>(() => new ConsumerConfig { [key] = value }).ParamName);
    }

    [Fact]
    public void Producer_keys_are_unknown_and_build_checks_heartbeat_against_session()
    {
        Assert.Equal("acks", Assert.Throws<ArgumentException>(() => new ConsumerConfig { ["acks"] = "1" }).ParamName);
        var c = new ConsumerConfig { BootstrapServers = "h", SessionTimeoutMs = 3000, HeartbeatIntervalMs = 3000 };
        Assert.Equal("heartbeat.interval.ms", Assert.Throws<ArgumentException>(() => new ConsumerBuilder<string, string>(c).Build()).ParamName);
        Assert.Throws<InvalidOperationException>(() => new ConsumerBuilder<Guid, string>(new ConsumerConfig { BootstrapServers = "h" }).Build());
        c.PartitionAssignmentStrategy = "roundrobin, cooperative-sticky";
        Assert.Equal("roundrobin, cooperative-sticky", c.PartitionAssignmentStrategy);
    }

    [Fact]
    public void Deserializers_read_what_the_serializers_write()
    {
        var ctx = new SerializationContext(MessageComponentType.Value, "t");
        Assert.Equal("é✓", Deserializers.Utf8.Deserialize(Serializers.Utf8.Serialize("é✓", ctx), false, ctx));
        Assert.Null(Deserializers.Utf8.Deserialize(default, true, ctx));
        Assert.Equal(-7, Deserializers.Int32.Deserialize(Serializers.Int32.Serialize(-7, ctx), false, ctx));
        Assert.Equal(long.MinValue, Deserializers.Int64.Deserialize(Serializers.Int64.Serialize(long.MinValue, ctx), false, ctx));
        Assert.Throws<ArgumentException>(() => Deserializers.Int32.Deserialize(new byte[3], false, ctx));
        Assert.Throws<ArgumentException>(() => Deserializers.Null.Deserialize(new byte[1], false, ctx));
        Assert.Equal([1, 2], Deserializers.ByteArray.Deserialize(new byte[] { 1, 2 }, false, ctx));
    }
}
