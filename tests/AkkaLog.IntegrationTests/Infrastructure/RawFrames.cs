using System.Buffers.Binary;
using System.Text;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Hand-built frames for requests the generated messages cannot express (unknown keys and versions).</summary>
public static class RawFrames
{
    /// <summary>size + request header v1 (key, version, correlation id, client id) + <paramref name="body"/>.</summary>
    public static byte[] WithHeaderV1(short apiKey, short apiVersion, int correlationId, ReadOnlySpan<byte> body, string clientId = "raw")
    {
        var id = Encoding.UTF8.GetBytes(clientId);
        var frame = new byte[4 + 2 + 2 + 4 + 2 + id.Length + body.Length];
        var s = frame.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(s, frame.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(s[4..], apiKey);
        BinaryPrimitives.WriteInt16BigEndian(s[6..], apiVersion);
        BinaryPrimitives.WriteInt32BigEndian(s[8..], correlationId);
        BinaryPrimitives.WriteInt16BigEndian(s[12..], (short)id.Length);
        id.CopyTo(s[14..]);
        body.CopyTo(s[(14 + id.Length)..]);
        return frame;
    }

    /// <summary>A big-endian int32 size prefix followed by <paramref name="payload"/>.</summary>
    public static byte[] Prefixed(int declaredSize, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, declaredSize);
        payload.CopyTo(frame.AsSpan(4));
        return frame;
    }
}
