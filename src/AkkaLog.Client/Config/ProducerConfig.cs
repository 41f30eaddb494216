using AkkaLog.Protocol.Records;

namespace AkkaLog.Client;

/// <summary>
/// Producer settings: the shared <see cref="ClientConfig"/> keys plus the producer's. Defaults are the
/// Java client's (Kafka 4.x): acks=all, linger.ms=5, batch.size=16384, buffer.memory=32 MiB,
/// delivery.timeout.ms=120000; except enable.idempotence=false (as in the usual .NET client, librdkafka)
/// and max.in.flight.requests.per.connection=1000000 (5 with idempotence; see <see cref="MaxInFlight"/>).
/// </summary>
public sealed class ProducerConfig : ClientConfig
{
    /// <summary>Creates an empty producer configuration.</summary>
    public ProducerConfig() : base(ConfigScope.Producer) { }

    /// <summary>Creates a producer configuration from <paramref name="values"/> (validated key by key).</summary>
    public ProducerConfig(IEnumerable<KeyValuePair<string, string>> values) : base(ConfigScope.Producer)
    {
        foreach (var (k, v) in values) Set(k, v);
    }

    /// <summary><c>acks</c> (default all).</summary>
    public Acks Acks
    {
        get => Get("acks") switch { "0" => Acks.None, "1" => Acks.Leader, _ => Acks.All };
        set => Set("acks", value switch { Acks.None => "0", Acks.Leader => "1", _ => "all" });
    }

    /// <summary><c>linger.ms</c> (default 5, as in Kafka 4.0+).</summary>
    public long LingerMs { get => GetLong("linger.ms"); set => SetLong("linger.ms", value); }

    /// <summary><c>batch.size</c> in bytes (default 16384).</summary>
    public int BatchSize { get => GetInt("batch.size"); set => SetInt("batch.size", value); }

    /// <summary><c>compression.type</c> (default none).</summary>
    public CompressionType CompressionType
    {
        get => Enum.Parse<CompressionType>(Get("compression.type")!, ignoreCase: true);
        set => Set("compression.type", value.ToString().ToLowerInvariant());
    }

    /// <summary><c>retries</c> (default int.MaxValue: delivery.timeout.ms bounds retrying).</summary>
    public int Retries { get => GetInt("retries"); set => SetInt("retries", value); }

    /// <summary><c>delivery.timeout.ms</c> (default 120000).</summary>
    public int DeliveryTimeoutMs { get => GetInt("delivery.timeout.ms"); set => SetInt("delivery.timeout.ms", value); }

    /// <summary><c>buffer.memory</c> in bytes (default 33554432).</summary>
    public long BufferMemory { get => GetLong("buffer.memory"); set => SetLong("buffer.memory", value); }

    /// <summary><c>max.block.ms</c> (default 60000).</summary>
    public long MaxBlockMs { get => GetLong("max.block.ms"); set => SetLong("max.block.ms", value); }

    /// <summary><c>max.request.size</c> in bytes (default 1048576).</summary>
    public int MaxRequestSize { get => GetInt("max.request.size"); set => SetInt("max.request.size", value); }

    /// <summary>
    /// <c>max.in.flight.requests.per.connection</c>: default 1000000 as in librdkafka, so only
    /// buffer.memory bounds what is sent ahead; 5 when idempotence is on and this is not set (the
    /// broker remembers five batches per producer). Java's 5 stalls a fast producer (its sixth request
    /// waits for the first one's answer): `akkalog perf produce` with 1 KiB records and 256 KiB batches
    /// made ~7% more MB/s with 8 or more, and ~4% less with a limit of 64 (the AkkaLog broker's
    /// read-ahead) than without one. Set to 1, a partition also waits for its batch's answer before it
    /// sends the next, so records keep their send order across retries and leader changes.
    /// </summary>
    public int MaxInFlight
    {
        get => this[MaxInFlightKey] is null && EnableIdempotence ? MaxInFlightWithIdempotence : GetInt(MaxInFlightKey);
        set => SetInt(MaxInFlightKey, value);
    }

    private const string MaxInFlightKey = "max.in.flight.requests.per.connection";

    /// <summary>The most requests an idempotent producer may keep in flight per connection (Java's and librdkafka's limit).</summary>
    internal const int MaxInFlightWithIdempotence = 5;

    /// <summary><c>partitioner</c> (default murmur2).</summary>
    public Partitioner Partitioner
    {
        get => Get("partitioner") == "murmur2_random" ? Partitioner.Murmur2Random : Partitioner.Murmur2;
        set => Set("partitioner", value == Partitioner.Murmur2Random ? "murmur2_random" : "murmur2");
    }

    /// <summary><c>allow.auto.create.topics</c> (default true).</summary>
    public bool AllowAutoCreateTopics { get => GetBool("allow.auto.create.topics"); set => SetBool("allow.auto.create.topics", value); }

    /// <summary>
    /// <c>enable.idempotence</c> (default false, as in the usual .NET client): each batch carries a producer id
    /// and sequence numbers, so retries never write a record twice or out of order. Needs acks=all.
    /// </summary>
    public bool EnableIdempotence { get => GetBool("enable.idempotence"); set => SetBool("enable.idempotence", value); }

    /// <summary>The wire codec for <see cref="CompressionType"/>.</summary>
    internal CompressionCodec Codec => CompressionType switch
    {
        CompressionType.Gzip => CompressionCodec.Gzip,
        CompressionType.Snappy => CompressionCodec.Snappy,
        CompressionType.Lz4 => CompressionCodec.Lz4,
        CompressionType.Zstd => CompressionCodec.Zstd,
        _ => CompressionCodec.None,
    };

    internal override void ValidateForBuild()
    {
        base.ValidateForBuild();
        if (EnableIdempotence)
        {
            // Java's rules: only acks=all makes a written sequence durable, and the broker remembers five batches per producer.
            if (Acks != Acks.All)
                throw new ArgumentException($"enable.idempotence=true needs acks=all (acks is {Get("acks")})", "acks");
            if (MaxInFlight > MaxInFlightWithIdempotence)
                throw new ArgumentException(
                    $"enable.idempotence=true allows at most {MaxInFlightWithIdempotence} max.in.flight.requests.per.connection ({MaxInFlight})",
                    MaxInFlightKey);
            if (Retries < 1)
                throw new ArgumentException("enable.idempotence=true needs retries of at least 1", "retries");
        }
        // Java's rule: a batch must be able to linger and then wait a full request timeout before it expires.
        if (DeliveryTimeoutMs < LingerMs + RequestTimeoutMs)
            throw new ArgumentException(
                $"delivery.timeout.ms ({DeliveryTimeoutMs}) must be at least linger.ms + request.timeout.ms ({LingerMs + RequestTimeoutMs})",
                "delivery.timeout.ms");
        if (BatchSize > MaxRequestSize)
            throw new ArgumentException($"batch.size ({BatchSize}) must not exceed max.request.size ({MaxRequestSize})", "batch.size");
    }
}
