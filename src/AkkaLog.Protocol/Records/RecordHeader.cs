namespace AkkaLog.Protocol.Records;

/// <summary>A record header for <see cref="RecordBatchBuilder"/>: a UTF-8 key and a nullable value.</summary>
/// <param name="Key">Header key bytes (UTF-8).</param>
/// <param name="Value">Header value bytes, or null.</param>
public readonly record struct RecordHeader(byte[] Key, byte[]? Value);
