using System.Collections;
using System.Text;

namespace AkkaLog.Client;

/// <summary>A record header: a string key and a byte value (null allowed).</summary>
public interface IHeader
{
    /// <summary>Header key.</summary>
    string Key { get; }

    /// <summary>Header value bytes, or null.</summary>
    byte[]? GetValueBytes();
}

/// <summary>A record header as given by the caller.</summary>
/// <param name="Key">Header key.</param>
/// <param name="Value">Header value bytes, or null.</param>
public sealed record Header(string Key, byte[]? Value) : IHeader
{
    /// <inheritdoc />
    public byte[]? GetValueBytes() => Value;
}

/// <summary>An ordered list of record headers; keys may repeat, as in Kafka.</summary>
public sealed class Headers : IEnumerable<IHeader>
{
    private readonly List<IHeader> _headers = new();

    /// <summary>Number of headers.</summary>
    public int Count => _headers.Count;

    /// <summary>The header at <paramref name="index"/>.</summary>
    public IHeader this[int index] => _headers[index];

    /// <summary>Appends a header.</summary>
    public void Add(string key, byte[]? value) => _headers.Add(new Header(key, value));

    /// <summary>Appends a header whose value is the UTF-8 encoding of <paramref name="value"/>.</summary>
    public void Add(string key, string? value) => Add(key, value is null ? null : Encoding.UTF8.GetBytes(value));

    /// <summary>Appends a header.</summary>
    public void Add(IHeader header) => _headers.Add(header);

    /// <summary>The value of the last header named <paramref name="key"/>; false when there is none.</summary>
    public bool TryGetLastBytes(string key, out byte[]? value)
    {
        for (int i = _headers.Count - 1; i >= 0; i--)
        {
            if (_headers[i].Key == key)
            {
                value = _headers[i].GetValueBytes();
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<IHeader> GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
