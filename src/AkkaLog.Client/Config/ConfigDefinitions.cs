namespace AkkaLog.Client;

/// <summary>Which clients accept a configuration key.</summary>
[Flags]
internal enum ConfigScope
{
    Producer = 1,
    Admin = 2,
    Consumer = 4,
    All = Producer | Admin | Consumer,
}

/// <summary>How a configuration value is parsed and checked.</summary>
internal enum ConfigType
{
    String, Int, Long, Bool, Choice,
    /// <summary>A comma-separated, non-empty list of distinct <see cref="ConfigDefinition.Choices"/>, order kept (preference order).</summary>
    ChoiceList,
}

/// <summary>One configuration key: its Kafka name, who accepts it, its default and what it means.</summary>
internal sealed record ConfigDefinition(string Name, ConfigScope Scope, ConfigType Type, string? Default, string Doc,
    string[]? Choices = null, long Min = 0);

/// <summary>
/// Every configuration key the client knows, with its default: the one place defaults live.
/// Names and defaults are the Apache Kafka 4.x Java client's (linger.ms is 5 since Kafka 4.0, KIP-1030;
/// acks=all since 3.0). Keys the Java client has but this client does not implement are absent on
/// purpose, so setting one fails loudly instead of being silently ignored.
/// </summary>
internal static class ConfigDefinitions
{
    public static readonly IReadOnlyDictionary<string, ConfigDefinition> All = new ConfigDefinition[]
    {
        // --- every client ---
        new("bootstrap.servers", ConfigScope.All, ConfigType.String, null,
            "Comma-separated host:port list to fetch the first metadata from; the port defaults to 9092."),
        new("client.id", ConfigScope.All, ConfigType.String, "",
            "Sent in every request header so broker logs and quotas can name this client."),
        new("request.timeout.ms", ConfigScope.All, ConfigType.Int, "30000",
            "How long to wait for a response before failing the request and closing the connection (responses come in order, so a late one means the connection is stuck).", Min: 1),
        new("retry.backoff.ms", ConfigScope.All, ConfigType.Long, "100", "Wait before retrying a failed request."),
        new("retry.backoff.max.ms", ConfigScope.All, ConfigType.Long, "1000", "Cap of the exponential retry backoff."),
        new("reconnect.backoff.ms", ConfigScope.All, ConfigType.Long, "50",
            "Wait before reconnecting to a broker after a failed attempt; doubles per failure."),
        new("reconnect.backoff.max.ms", ConfigScope.All, ConfigType.Long, "1000", "Cap of the reconnect backoff."),
        new("socket.connection.setup.timeout.ms", ConfigScope.All, ConfigType.Long, "10000",
            "How long one TCP connect plus ApiVersions handshake may take.", Min: 1),
        new("metadata.max.age.ms", ConfigScope.All, ConfigType.Long, "300000",
            "Refresh metadata at least this often even without errors, to see new partitions and leaders."),

        // --- admin client ---
        new("default.api.timeout.ms", ConfigScope.Admin | ConfigScope.Consumer, ConfigType.Int, "60000",
            "Overall time an admin call, or a blocking consumer call without its own timeout (Commit, Close), may take, retries included.", Min: 1),
        new("retries", ConfigScope.Producer | ConfigScope.Admin, ConfigType.Int, "2147483647",
            "How often a retriable failure is retried; the time limit (delivery.timeout.ms, default.api.timeout.ms) usually ends retrying first."),

        // --- producer ---
        new("acks", ConfigScope.Producer, ConfigType.Choice, "all",
            "0: no response; 1: the leader wrote it; all (-1): every in-sync replica has it.", ["0", "1", "all", "-1"]),
        new("linger.ms", ConfigScope.Producer, ConfigType.Long, "5",
            "How long a partition's batch may wait for more records before it is sent."),
        new("batch.size", ConfigScope.Producer, ConfigType.Int, "16384",
            "Target uncompressed size of one partition's batch; a full batch is sent at once.", Min: 1),
        new("compression.type", ConfigScope.Producer, ConfigType.Choice, "none",
            "Codec for record batches.", ["none", "gzip", "snappy", "lz4", "zstd"]),
        new("delivery.timeout.ms", ConfigScope.Producer, ConfigType.Int, "120000",
            "Upper bound from ProduceAsync to the delivery result, retries included.", Min: 1),
        new("buffer.memory", ConfigScope.Producer, ConfigType.Long, "33554432",
            "Bytes of records waiting to be sent or acknowledged; ProduceAsync waits (up to max.block.ms) when full.", Min: 1),
        new("max.block.ms", ConfigScope.Producer, ConfigType.Long, "60000",
            "How long ProduceAsync may wait for metadata or buffer space before it throws."),
        new("max.request.size", ConfigScope.Producer, ConfigType.Int, "1048576",
            "Largest Produce request (and so largest record) the producer sends.", Min: 1),
        new("max.in.flight.requests.per.connection", ConfigScope.Producer, ConfigType.Int, "1000000",
            "Unanswered Produce requests allowed per broker connection (buffer.memory bounds them first); 5 when enable.idempotence=true leaves it unset (librdkafka's defaults).", Min: 1),
        new("partitioner", ConfigScope.Producer, ConfigType.Choice, "murmur2",
            "murmur2: keyed records by Java's murmur2, null keys sticky (Java's built-in partitioner); murmur2_random: the same for keys, a random partition per null-key record (librdkafka's).",
            ["murmur2", "murmur2_random"]),
        new("allow.auto.create.topics", ConfigScope.Producer | ConfigScope.Consumer, ConfigType.Bool, "true",
            "Ask the broker to create a missing topic when fetching its metadata (the broker may still refuse)."),
        new("enable.idempotence", ConfigScope.Producer, ConfigType.Bool, "false",
            "Producer ids and sequence numbers, so retries neither duplicate nor reorder records; needs acks=all and at most 5 requests in flight (Java defaults to true, librdkafka to false)."),

        // --- consumer ---
        new("group.id", ConfigScope.Consumer, ConfigType.String, null,
            "The consumer group; required for Subscribe and for committing offsets."),
        new("group.instance.id", ConfigScope.Consumer, ConfigType.String, null,
            "Static membership (KIP-345): a restart within session.timeout.ms keeps the member's partitions without a rebalance; no LeaveGroup on close."),
        new("auto.offset.reset", ConfigScope.Consumer, ConfigType.Choice, "latest",
            "Where to start when there is no committed offset or it is out of range: earliest, latest, or none (Consume throws).",
            ["earliest", "latest", "none"]),
        new("enable.auto.commit", ConfigScope.Consumer, ConfigType.Bool, "true",
            "Commit the stored offsets every auto.commit.interval.ms, on revocation and on close."),
        new("auto.commit.interval.ms", ConfigScope.Consumer, ConfigType.Int, "5000", "How often auto-commit runs."),
        new("enable.auto.offset.store", ConfigScope.Consumer, ConfigType.Bool, "true",
            "librdkafka's key: store each record's offset for auto-commit as Consume returns it; false leaves storing to StoreOffset."),
        new("session.timeout.ms", ConfigScope.Consumer, ConfigType.Int, "45000",
            "The coordinator removes a member it has not heard from in this long.", Min: 1),
        new("heartbeat.interval.ms", ConfigScope.Consumer, ConfigType.Int, "3000",
            "Heartbeat period; a rebalance is noticed at the next heartbeat.", Min: 1),
        new("max.poll.interval.ms", ConfigScope.Consumer, ConfigType.Int, "300000",
            "Longest gap between Consume calls before the member leaves the group; also the rebalance timeout sent in JoinGroup.", Min: 1),
        new("partition.assignment.strategy", ConfigScope.Consumer, ConfigType.ChoiceList, "range,cooperative-sticky",
            "Assignors offered in JoinGroup, most preferred first. Only when every one is cooperative-sticky is the rebalance protocol cooperative (as in Java).",
            ["range", "roundrobin", "cooperative-sticky"]),
        new("fetch.min.bytes", ConfigScope.Consumer, ConfigType.Int, "1", "The broker answers a Fetch once this much data is ready (or fetch.max.wait.ms passed)."),
        new("fetch.max.bytes", ConfigScope.Consumer, ConfigType.Int, "52428800",
            "Most data one Fetch response may carry (the first batch is returned whole even if larger).", Min: 1),
        new("max.partition.fetch.bytes", ConfigScope.Consumer, ConfigType.Int, "1048576",
            "Most data per partition in one Fetch response (the first batch is returned whole even if larger).", Min: 1),
        new("fetch.max.wait.ms", ConfigScope.Consumer, ConfigType.Int, "500", "How long the broker may hold a Fetch waiting for fetch.min.bytes."),
        new("isolation.level", ConfigScope.Consumer, ConfigType.Choice, "read_uncommitted",
            "read_committed reads only up to the last stable offset and skips aborted transactions.", ["read_uncommitted", "read_committed"]),
        new("check.crcs", ConfigScope.Consumer, ConfigType.Bool, "true", "Verify each fetched batch's CRC-32C."),
        new("enable.partition.eof", ConfigScope.Consumer, ConfigType.Bool, "false",
            "librdkafka's key: Consume returns a result with IsPartitionEOF each time a partition's end is reached."),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);
}
