using System.Globalization;

namespace AkkaLog.Client.Internal.Network;

/// <summary>A broker's host and port as clients dial it.</summary>
/// <param name="Host">Host name or IP literal (IPv6 without brackets).</param>
/// <param name="Port">TCP port.</param>
internal readonly record struct BrokerAddress(string Host, int Port)
{
    /// <summary>The port used when bootstrap.servers names none.</summary>
    public const int DefaultPort = 9092;

    /// <summary>
    /// Parses a bootstrap.servers value: comma-separated <c>host[:port]</c>, <c>[v6addr][:port]</c>, an
    /// optional <c>PLAINTEXT://</c> prefix. Throws <see cref="ArgumentException"/> naming the key.
    /// </summary>
    public static IReadOnlyList<BrokerAddress> ParseList(string value)
    {
        var list = new List<BrokerAddress>();
        foreach (var raw in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string entry = raw;
            int scheme = entry.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0) entry = entry[(scheme + 3)..];
            string host;
            string? port = null;
            if (entry.StartsWith('['))
            {
                int close = entry.IndexOf(']');
                if (close < 0) throw Bad(raw);
                host = entry[1..close];
                if (close + 1 < entry.Length)
                {
                    if (entry[close + 1] != ':') throw Bad(raw);
                    port = entry[(close + 2)..];
                }
            }
            else
            {
                int colon = entry.LastIndexOf(':');
                // More than one colon and no brackets: a bare IPv6 address without port.
                if (colon >= 0 && entry.IndexOf(':') == colon)
                {
                    host = entry[..colon];
                    port = entry[(colon + 1)..];
                }
                else host = entry;
            }
            int p = DefaultPort;
            if (host.Length == 0 || (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out p) || p is <= 0 or > 65535)))
                throw Bad(raw);
            list.Add(new BrokerAddress(host, p));
        }
        if (list.Count == 0) throw new ArgumentException("bootstrap.servers lists no broker", "bootstrap.servers");
        return list;
    }

    private static ArgumentException Bad(string entry) =>
        new($"invalid broker address '{entry}' in bootstrap.servers (expected host:port)", "bootstrap.servers");

    /// <inheritdoc />
    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
