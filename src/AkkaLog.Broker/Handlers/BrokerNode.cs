namespace AkkaLog.Broker.Handlers;

/// <summary>A broker as clients see it in Metadata and DescribeCluster.</summary>
/// <param name="NodeId">Broker id.</param>
/// <param name="Host">Advertised host.</param>
/// <param name="Port">Advertised port.</param>
/// <param name="Rack">Rack, or null.</param>
public sealed record BrokerNode(int NodeId, string Host, int Port, string? Rack)
{
    /// <summary>
    /// Which registration of the broker this is (etcd: the create revision of its key; 0 on a single
    /// node). A broker that restarts, or whose lease expired, comes back with a new one.
    /// </summary>
    public long Incarnation { get; init; }

    /// <summary>Parses the first advertised listener (<c>NAME://host:port</c>); an empty host becomes localhost.</summary>
    public static BrokerNode FromListener(int nodeId, string listener, string? rack)
    {
        var (host, port) = ListenerAddress.Parse(listener);
        return new BrokerNode(nodeId, string.IsNullOrEmpty(host) || host == "0.0.0.0" ? "localhost" : host, port, rack);
    }
}

/// <summary>Parses <c>NAME://host:port</c> listener strings.</summary>
public static class ListenerAddress
{
    /// <summary>Returns host (possibly empty) and port; throws <see cref="FormatException"/> if malformed.</summary>
    public static (string Host, int Port) Parse(string listener)
    {
        int scheme = listener.IndexOf("://", StringComparison.Ordinal);
        string rest = scheme >= 0 ? listener[(scheme + 3)..] : listener;
        int colon = rest.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(rest[(colon + 1)..], out int port) || port is < 0 or > 65535)
            throw new FormatException($"listener '{listener}' is not NAME://host:port");
        string host = rest[..colon].Trim('[', ']');
        return (host, port);
    }
}
