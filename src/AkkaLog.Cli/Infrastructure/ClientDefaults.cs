namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// Every client setting the CLI changes from the client's own defaults, in one place, with why.
/// The client defaults suit long-running services (a 60 s API timeout, 120 s delivery timeout); a
/// command a person or script waits on must fail within seconds when the cluster is away.
/// </summary>
internal static class ClientDefaults
{
    /// <summary>Kafka's tools default to a local broker too.</summary>
    public const string BootstrapServers = "localhost:9092";

    /// <summary>
    /// default.api.timeout.ms for admin calls and max.block.ms for producers: an unreachable broker is
    /// reported after this long (the client keeps redialling until then, with backoff up to 1 s).
    /// </summary>
    public const int ApiTimeoutMs = 10_000;

    /// <summary>request.timeout.ms: one request may take this long; never more than the API timeout.</summary>
    public const int RequestTimeoutMs = 10_000;

    /// <summary>
    /// delivery.timeout.ms for <c>produce</c>: a record is given up after this long. Must be at least
    /// linger.ms + request.timeout.ms (the client checks), hence 3 request timeouts.
    /// </summary>
    public const int DeliveryTimeoutMs = 30_000;

    /// <summary>client.id so broker logs and quotas can tell the CLI apart from applications.</summary>
    public const string ClientId = "akkalog-cli";
}
