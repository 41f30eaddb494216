using Microsoft.Extensions.Configuration;

namespace AkkaLog.Hocon.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void AddHoconFileMapsPathsToConfigurationKeys()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("node.conf", """
            node.id = 1
            log {
              dirs = ["/data/a", "/data/b"]
              retention.hours = 168
            }
            """);

        var config = new ConfigurationBuilder().AddHoconFile(file).Build();

        Assert.Equal("1", config["node:id"]);
        Assert.Equal("168", config["log:retention:hours"]);
        Assert.Equal("/data/b", config["log:dirs:1"]);
        Assert.Equal(new[] { "/data/a", "/data/b" }, config.GetSection("log:dirs").Get<string[]>());
        Assert.Equal(168, config.GetValue<int>("LOG:Retention:Hours")); // configuration keys ignore case
    }

    [Fact]
    public void ProviderKnowsWhereEachKeyWasWritten()
    {
        using var dir = new TempDirectory();
        dir.Write("base.conf", "log.dirs = /base\nsocket.port = 9092");
        var file = dir.Write("node.conf", "include \"base.conf\"\n\nlog.dirs = /override");

        var config = new ConfigurationBuilder().AddHoconFile(file).Build();
        var provider = Assert.IsType<HoconConfigurationProvider>(config.Providers.Single());

        Assert.True(provider.TryGetSource("log:dirs", out var path, out var line));
        Assert.Equal((file, 3), (path, line));
        Assert.True(config.TryGetHoconSource("socket:port", out path, out line));
        Assert.Equal((Path.Combine(dir.Path, "base.conf"), 2), (path, line));
        Assert.False(provider.TryGetSource("nope", out _, out _));
        Assert.Equal(["log:dirs", "socket:port"], provider.Entries.Select(e => e.Key).Order());
    }

    [Fact]
    public void LaterNonHoconProviderHidesTheHoconSource()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("node.conf", "a = 1\nb = 2");

        var config = new ConfigurationBuilder()
            .AddHoconFile(file)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["a"] = "from memory" })
            .Build();

        Assert.Equal("from memory", config["a"]);
        Assert.False(config.TryGetHoconSource("a", out _, out _));
        Assert.True(config.TryGetHoconSource("b", out _, out _));
    }

    [Fact]
    public void OptionalMissingFileIsEmptyAndRequiredMissingThrows()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "missing.conf");

        Assert.Empty(new ConfigurationBuilder().AddHoconFile(missing, optional: true).Build().AsEnumerable());
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddHoconFile(missing).Build());
    }

    [Fact]
    public void SyntaxErrorSurfacesFromBuild()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("bad.conf", "a = 1\nb c");

        var ex = Assert.Throws<HoconException>(() => new ConfigurationBuilder().AddHoconFile(file).Build());

        Assert.StartsWith($"{file}:2:3: expected '=' or ':' after key 'b'", ex.Message);
    }

    [Fact]
    public void EnvironmentCanBeInjected()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("env.conf", "port = 9092\nport = ${?BROKER_PORT}");

        var config = new ConfigurationBuilder()
            .AddHoconFile(new HoconConfigurationSource { Path = file, Environment = n => n == "BROKER_PORT" ? "1234" : null })
            .Build();

        Assert.Equal("1234", config["port"]);
    }

    [Fact]
    public void NullBecomesNullValue()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("n.conf", "a = null");

        var config = new ConfigurationBuilder().AddHoconFile(file).Build();

        Assert.Null(config["a"]);
        Assert.Contains(config.AsEnumerable(), kv => kv.Key == "a");
    }
}
