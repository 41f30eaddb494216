using AkkaLog.Protocol.Messages;

namespace AkkaLog.Protocol.Tests.Messages;

/// <summary>Every generated message at every valid version: Write, Read, Write gives the same bytes.</summary>
public class MessageRoundTripTests
{
    public static IEnumerable<Type> MessageTypes() =>
        typeof(IKafkaMessage).Assembly.GetTypes()
            .Where(t => t.Namespace == "AkkaLog.Protocol.Messages" && !t.IsNested && t.IsClass && !t.IsAbstract
                && typeof(IKafkaMessage).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    public static TheoryData<string, short> AllVersions()
    {
        var data = new TheoryData<string, short>();
        foreach (var type in MessageTypes())
        {
            var (lowest, highest) = Range(type);
            for (short v = lowest; v <= highest; v++)
            {
                data.Add(type.Name, v);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void PopulatedMessageRoundTrips(string name, short version)
    {
        var type = Find(name);
        var original = new MessageFiller().Fill((IKafkaMessage)Activator.CreateInstance(type)!);
        var first = Write(original, version);

        var copy = (IKafkaMessage)Activator.CreateInstance(type)!;
        var reader = new KafkaReader(first);
        copy.Read(ref reader, version);
        reader.EnsureAtEnd();

        Assert.Equal(first, Write(copy, version));
    }

    [Theory]
    [MemberData(nameof(AllVersions))]
    public void DefaultMessageRoundTripsOrRefusesANull(string name, short version)
    {
        var type = Find(name);
        var original = (IKafkaMessage)Activator.CreateInstance(type)!;
        byte[] first;
        try
        {
            first = Write(original, version);
        }
        catch (KafkaProtocolException e) when (e.Message.Contains("not nullable", StringComparison.Ordinal))
        {
            return; // a field defaults to null but the version cannot express null (as in Kafka)
        }

        var copy = (IKafkaMessage)Activator.CreateInstance(type)!;
        var reader = new KafkaReader(first);
        copy.Read(ref reader, version);
        reader.EnsureAtEnd();
        Assert.Equal(first, Write(copy, version));
    }

    [Fact]
    public void EveryTruncationOfAFetchResponseFailsCleanly()
    {
        var response = new MessageFiller().Fill(new FetchResponse());
        foreach (short version in new short[] { 4, 11, 12, 16 })
        {
            var bytes = Write(response, version);
            for (int length = 0; length < bytes.Length; length++)
            {
                var reader = new KafkaReader(bytes.AsMemory(0, length));
                var copy = new FetchResponse();
                try
                {
                    copy.Read(ref reader, version);
                    reader.EnsureAtEnd();
                    Assert.Fail($"v{version}: a {length}-byte prefix of {bytes.Length} bytes was accepted");
                }
                catch (KafkaProtocolException)
                {
                }
            }
        }
    }

    private static byte[] Write(IKafkaMessage message, short version)
    {
        using var writer = new KafkaWriter();
        message.Write(writer, version);
        return writer.ToArray();
    }

    private static Type Find(string name) => MessageTypes().Single(t => t.Name == name);

    internal static (short Lowest, short Highest) Range(Type type) =>
        ((short)type.GetField("LowestSupportedVersion")!.GetValue(null)!,
         (short)type.GetField("HighestSupportedVersion")!.GetValue(null)!);
}
