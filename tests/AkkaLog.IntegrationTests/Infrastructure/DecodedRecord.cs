namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>One record read back from the broker, with absolute offset and timestamp. Null = null on the wire.</summary>
public sealed record DecodedRecord(long Offset, long Timestamp, byte[]? Key, byte[]? Value,
    IReadOnlyList<KeyValuePair<string, byte[]?>> Headers)
{
    /// <summary>The value as UTF-8 text (null for a tombstone).</summary>
    public string? ValueText => Value is null ? null : System.Text.Encoding.UTF8.GetString(Value);
}
