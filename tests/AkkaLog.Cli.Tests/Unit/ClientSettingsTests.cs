using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Tests.Unit;

/// <summary>The client settings the CLI derives from its options: bounded timeouts, overrides winning, bad keys as usage errors.</summary>
public sealed class ClientSettingsTests
{
    private static CliContext Context(params string[] args)
    {
        var io = new CliIo(TextWriter.Null, TextWriter.Null, TextReader.Null, IsTerminal: false);
        var (root, globals) = CliApp.Build(io);
        return new CliContext(io, globals, root.Parse(args), CancellationToken.None);
    }

    [Fact]
    public void Defaults_fail_an_unreachable_cluster_within_about_ten_seconds()
    {
        var context = Context("topic", "list");
        Assert.Equal("localhost:9092", context.Bootstrap);
        var admin = context.AdminConfig();
        Assert.Equal(10_000, admin.DefaultApiTimeoutMs);
        Assert.True(admin.RequestTimeoutMs <= 10_000);
        Assert.True(admin.SocketConnectionSetupTimeoutMs <= 10_000);
        var producer = context.ProducerConfig([]);
        Assert.Equal(10_000, producer.MaxBlockMs);
        Assert.True(producer.DeliveryTimeoutMs <= 30_000);
    }

    [Fact]
    public void Global_options_reach_the_client_settings()
    {
        var context = Context("topic", "list", "-b", "h1:1,h2:2", "--api-timeout-ms", "2500");
        var admin = context.AdminConfig();
        Assert.Equal("h1:1,h2:2", admin.BootstrapServers);
        Assert.Equal(2500, admin.DefaultApiTimeoutMs);
        Assert.Equal(2500, admin.RequestTimeoutMs);
    }

    [Fact]
    public void Producer_properties_override_the_cli_defaults()
    {
        var producer = Context("produce", "-t", "x").ProducerConfig([new("linger.ms", "50"), new("max.block.ms", "1234")]);
        Assert.Equal(50, producer.LingerMs);
        Assert.Equal(1234, producer.MaxBlockMs);
    }

    [Fact]
    public void A_key_the_client_rejects_is_a_usage_error()
    {
        var e = Assert.Throws<UsageException>(() => Context("produce", "-t", "x").ProducerConfig([new("acks", "7")]));
        Assert.Contains("acks", e.Message);
    }
}
