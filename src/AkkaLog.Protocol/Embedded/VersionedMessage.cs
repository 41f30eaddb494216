using AkkaLog.Protocol.Messages;

namespace AkkaLog.Protocol;

/// <summary>
/// The envelope of Kafka's embedded messages (the "consumer" protocol's ConsumerProtocolSubscription
/// and ConsumerProtocolAssignment inside JoinGroup and SyncGroup): an int16 version, then the body
/// at that version. A version newer than we know is read as the newest we know, since later
/// versions only append fields.
/// </summary>
public static class VersionedMessage
{
    /// <summary>Writes <paramref name="message"/> at <paramref name="version"/>, prefixed with the version.</summary>
    public static byte[] Encode(IKafkaMessage message, short version)
    {
        using var writer = new KafkaWriter(128);
        writer.WriteInt16(version);
        message.Write(writer, version);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads a versioned message whose schema goes up to <paramref name="highestVersion"/>; returns
    /// the version found. Throws <see cref="KafkaProtocolException"/> when the bytes do not parse.
    /// </summary>
    public static T Decode<T>(ReadOnlyMemory<byte> data, short highestVersion, out short version) where T : IKafkaMessage, new()
    {
        var reader = new KafkaReader(data);
        version = reader.ReadInt16();
        if (version < 0) throw new KafkaProtocolException($"negative embedded message version {version}");
        var message = new T();
        message.Read(ref reader, Math.Min(version, highestVersion));
        return message;
    }
}
