namespace AkkaLog.Protocol.Records;

/// <summary>The compression codec in bits 0-2 of a record batch's attributes.</summary>
public enum CompressionCodec : byte
{
    /// <summary>Records are stored as they are.</summary>
    None = 0,
    /// <summary>gzip-wrapped deflate.</summary>
    Gzip = 1,
    /// <summary>Snappy: a raw block, or xerial framing as the Java client writes it.</summary>
    Snappy = 2,
    /// <summary>An LZ4 frame with independent blocks.</summary>
    Lz4 = 3,
    /// <summary>A Zstandard frame.</summary>
    Zstd = 4,
}
