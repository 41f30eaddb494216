using AkkaLog.Broker.Config;
using AkkaLog.Server;

namespace AkkaLog.Server.Tests;

public sealed class ServerSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("akkalog-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConf(string text)
    {
        string path = Path.Combine(_dir, "broker.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("AKKALOG_LOG_RETENTION_HOURS", "log.retention.hours")]
    [InlineData("AKKALOG_NUM_PARTITIONS", "num.partitions")]
    [InlineData("AKKALOG_SOME__UNDERSCORE_KEY", "some_underscore.key")]
    public void Environment_variables_map_to_kafka_keys(string variable, string key) =>
        Assert.Equal(key, ServerSettings.EnvironmentKey(variable));

    [Fact]
    public void Command_line_beats_environment_beats_file()
    {
        string conf = WriteConf("num.partitions = 2\nlog.dirs = \"/tmp/from-file\"\nlog { retention { hours = 9 } }\n");
        var env = new Dictionary<string, string?> { ["AKKALOG_NUM_PARTITIONS"] = "3", ["AKKALOG_LOG_DIRS"] = "/tmp/from-env" };
        var config = ServerSettings.Load(["--config", conf, "--log.dirs=/tmp/from-args"], env, _dir);
        Assert.Equal(3, config.NumPartitions);
        Assert.Equal(["/tmp/from-args"], config.LogDirs);
        Assert.Equal("9", config.Get("log.retention.hours"));
    }

    [Fact]
    public void Unknown_key_in_file_names_key_and_file()
    {
        string conf = WriteConf("num.partitions = 2\nlog.retention.hourz = 5\n");
        var e = Assert.Throws<ConfigException>(() => ServerSettings.Load(["--config", conf], new Dictionary<string, string?>(), _dir));
        Assert.Equal("log.retention.hourz", e.Key);
        Assert.Contains($"{conf}:2", e.Message);
    }

    [Fact]
    public void Bad_value_on_command_line_names_key()
    {
        var e = Assert.Throws<ConfigException>(() => ServerSettings.Load(["--num.partitions=-4"], new Dictionary<string, string?>(), _dir));
        Assert.Equal("num.partitions", e.Key);
        Assert.Contains("command line", e.Message);
    }

    [Fact]
    public void Missing_config_file_is_reported()
    {
        var e = Assert.Throws<ConfigException>(() => ServerSettings.Load(["--config", Path.Combine(_dir, "nope.conf")], new Dictionary<string, string?>(), _dir));
        Assert.Contains("nope.conf", e.Message);
    }

    [Fact]
    public void Shipped_single_node_conf_loads()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "AkkaLog.sln"))) root = Path.GetDirectoryName(root)!;
        var config = ServerSettings.Load(["--config", Path.Combine(root, "hocon", "single-node.conf")], new Dictionary<string, string?>(), _dir);
        Assert.Equal(["./data"], config.LogDirs);
        Assert.Equal(["PLAINTEXT://:9092"], config.Listeners);
        Assert.Equal(0, config.NodeId);
    }
}
