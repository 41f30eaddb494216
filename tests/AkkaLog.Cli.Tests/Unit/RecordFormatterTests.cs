using System.Text.Json;
using AkkaLog.Cli.Commands.Messages;
using AkkaLog.Client;

namespace AkkaLog.Cli.Tests.Unit;

public sealed class RecordFormatterTests
{
    private static ConsumeResult<string?, string?> Record(string? key, string? value, Headers? headers = null) => new()
    {
        Topic = "orders",
        Partition = 2,
        Offset = 41,
        Message = new Message<string?, string?>
        {
            Key = key, Value = value, Headers = headers, Timestamp = new Timestamp(1_700_000_000_123, TimestampType.CreateTime),
        },
    };

    private static string Text(ConsumeResult<string?, string?> record, PrintFields fields, string separator = "\t")
    {
        var output = new StringWriter();
        new RecordFormatter(output, json: false, fields, separator).Write(record);
        return output.ToString().TrimEnd('\n', '\r');
    }

    [Fact]
    public void Text_prints_the_value_alone_by_default()
    {
        Assert.Equal("hello", Text(Record("k", "hello"), default));
        Assert.Equal("null", Text(Record("k", null), default));
    }

    [Fact]
    public void Text_prints_chosen_fields_as_kafka_console_consumer_does()
    {
        var headers = new Headers { { "a", "1" }, { "b", (byte[]?)null } };
        Assert.Equal("CreateTime:1700000000123\tPartition:2\tOffset:41\ta:1,b:null\tk\tv",
            Text(Record("k", "v", headers), new PrintFields(true, true, true, true, true)));
        Assert.Equal("NO_HEADERS|null|v", Text(Record(null, "v"), new PrintFields(false, false, false, true, true), "|"));
    }

    [Fact]
    public void Json_is_one_object_per_line_with_every_field()
    {
        var output = new StringWriter();
        var headers = new Headers { { "a", "1" }, { "a", "2" } };
        new RecordFormatter(output, json: true, default, "\t").Write(Record(null, "ü [x]", headers));
        string line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("orders", json.GetProperty("topic").GetString());
        Assert.Equal(2, json.GetProperty("partition").GetInt32());
        Assert.Equal(41, json.GetProperty("offset").GetInt64());
        Assert.Equal(1_700_000_000_123, json.GetProperty("timestamp").GetInt64());
        Assert.Equal("createTime", json.GetProperty("timestampType").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("key").ValueKind);
        Assert.Equal("ü [x]", json.GetProperty("value").GetString());
        Assert.Equal(["1", "2"], json.GetProperty("headers").EnumerateArray().Select(h => h.GetProperty("value").GetString()));
    }
}
