using System.Reflection;
using System.Text.Json;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Protocol.Tests.Messages;

/// <summary>
/// Reads the copied Kafka JSON schemas independently of the generator and checks the generated
/// classes against them: version ranges, flexible ranges, API keys and top-level field names.
/// </summary>
public class SchemaValidationTests
{
    private static readonly Assembly Protocol = typeof(IKafkaMessage).Assembly;

    public static TheoryData<string> SchemaFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(MessagesDir, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static string MessagesDir => Path.Combine(RepoRoot(), "tools", "AkkaLog.Protocol.Generator", "messages");

    [Fact]
    public void AllSchemasAreCopied() => Assert.True(Directory.GetFiles(MessagesDir, "*.json").Length >= 186);

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void GeneratedClassMatchesSchema(string file)
    {
        using var doc = Load(file);
        var root = doc.RootElement;
        string name = root.GetProperty("name").GetString()!;
        var type = Protocol.GetType($"AkkaLog.Protocol.Messages.{name}");
        Assert.NotNull(type);

        var (low, high) = ParseRange(root.GetProperty("validVersions").GetString()!);
        Assert.Equal(low, Const(type, "LowestSupportedVersion"));
        Assert.Equal(high, Const(type, "HighestSupportedVersion"));

        var (flexLow, flexHigh) = ParseRange(root.GetProperty("flexibleVersions").GetString()!);
        var isFlexible = type.GetMethod("IsFlexible", BindingFlags.Public | BindingFlags.Static)!;
        for (short v = low; v <= high; v++)
        {
            Assert.Equal(v >= flexLow && v <= flexHigh, (bool)isFlexible.Invoke(null, [v])!);
        }

        if (root.TryGetProperty("apiKey", out var key))
        {
            var apiKey = (ApiKey)type.GetField("ApiKey")!.GetValue(null)!;
            Assert.Equal(key.GetInt16(), (short)apiKey);
            var info = ApiMessages.GetInfo(apiKey);
            Assert.Equal(new VersionRange(low, high), info.Versions);
            bool request = root.GetProperty("type").GetString() == "request";
            Assert.Equal(type, request ? info.RequestType : info.ResponseType);
            var flex = request ? info.RequestFlexibleVersions : info.ResponseFlexibleVersions;
            Assert.Equal(flexLow > flexHigh ? VersionRange.None : new VersionRange(flexLow, flexHigh), flex);
        }

        foreach (var field in root.GetProperty("fields").EnumerateArray())
        {
            string fieldName = field.GetProperty("name").GetString()!;
            fieldName = char.ToUpperInvariant(fieldName[0]) + fieldName[1..]; // the generator capitalizes, as Kafka's does
            Assert.True(type.GetProperty(fieldName) is not null, $"{name} has no property {fieldName}");
        }
    }

    [Fact]
    public void RegistryCoversEveryApiKey()
    {
        var keys = new SortedSet<short>();
        foreach (var file in Directory.GetFiles(MessagesDir, "*.json"))
        {
            using var doc = Load(Path.GetFileName(file));
            if (doc.RootElement.TryGetProperty("apiKey", out var key))
            {
                keys.Add(key.GetInt16());
            }
        }

        Assert.Equal(keys, ApiMessages.All.Select(i => (short)i.Key).ToHashSet());
        Assert.Equal(keys.Count, Enum.GetValues<ApiKey>().Length);
        foreach (var info in ApiMessages.All)
        {
            Assert.Equal(info.Key, ApiMessages.CreateRequest(info.Key).ApiKey);
            Assert.Equal(info.Key, ApiMessages.CreateResponse(info.Key).ApiKey);
            Assert.IsType(info.RequestType, ApiMessages.CreateRequest(info.Key));
        }

        Assert.Throws<KafkaProtocolException>(() => ApiMessages.CreateRequest((ApiKey)999));
        Assert.False(ApiMessages.TryGetInfo((ApiKey)(-1), out _));
    }

    private static JsonDocument Load(string file) =>
        JsonDocument.Parse(
            File.ReadAllText(Path.Combine(MessagesDir, file)),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });

    private static short Const(Type type, string name) => (short)type.GetField(name)!.GetValue(null)!;

    private static (short Low, short High) ParseRange(string text)
    {
        if (text == "none")
        {
            return (0, -1);
        }

        if (text.EndsWith('+'))
        {
            return (short.Parse(text[..^1]), short.MaxValue);
        }

        var parts = text.Split('-');
        return (short.Parse(parts[0]), short.Parse(parts[^1]));
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AkkaLog.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AkkaLog.sln not found above " + AppContext.BaseDirectory);
    }
}
