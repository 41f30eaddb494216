namespace AkkaLog.Protocol.Messages;

/// <summary>
/// A message that can be read from and written to the Kafka wire format at a given version.
/// Implemented by every generated message, request and response, and by the headers.
/// </summary>
public interface IKafkaMessage
{
    /// <summary>
    /// Sets this instance's fields from <paramref name="reader"/> at <paramref name="version"/>.
    /// Meant for a freshly constructed instance: fields absent from that version keep their
    /// current values (the defaults). Byte and record fields are slices of the reader's memory.
    /// Throws <see cref="KafkaProtocolException"/> for malformed input or an unsupported version.
    /// </summary>
    void Read(ref KafkaReader reader, short version);

    /// <summary>
    /// Writes this message at <paramref name="version"/>. Fields absent from that version are
    /// skipped; tagged fields are written only when they differ from their defaults.
    /// </summary>
    void Write(KafkaWriter writer, short version);
}

/// <summary>A request or response body of one Kafka API.</summary>
public interface IKafkaApiMessage : IKafkaMessage
{
    /// <summary>The API this message belongs to.</summary>
    ApiKey ApiKey { get; }

    /// <summary>Whether <paramref name="version"/> of this message uses the flexible (compact, tagged) encoding.</summary>
    bool IsFlexibleVersion(short version);
}

/// <summary>The body of a Kafka request.</summary>
public interface IKafkaRequest : IKafkaApiMessage
{
}

/// <summary>The body of a Kafka response.</summary>
public interface IKafkaResponse : IKafkaApiMessage
{
}
