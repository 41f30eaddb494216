namespace AkkaLog.Broker.Config;

/// <summary>
/// Every broker key AkkaLog understands, with Kafka's name and default (except <c>log.dirs</c>,
/// which defaults to <c>./data</c>). <c>hocon/reference.conf</c> documents the same list; a test
/// keeps the two in step.
/// </summary>
public static class BrokerConfigKeys
{
    /// <summary>All broker keys by name.</summary>
    public static IReadOnlyDictionary<string, ConfigKey> All { get; } = new ConfigKey[]
    {
        new("node.id", ConfigType.Int, "0", "This broker's id.") { Min = 0 },
        new("broker.id", ConfigType.Int, null, "Older name of node.id; if set it wins.") { Min = 0 },
        new("broker.rack", ConfigType.String, null, "Rack of this broker, for rack-aware replica placement."),
        new("cluster.id", ConfigType.String, null, "Cluster id; generated and kept in meta.properties when not set."),
        new("listeners", ConfigType.List, "PLAINTEXT://:9092", "Addresses to listen on, as NAME://host:port; an empty host means all interfaces."),
        new("advertised.listeners", ConfigType.List, null, "Addresses given to clients in Metadata; defaults to listeners, with an empty host replaced by localhost."),
        new("log.dirs", ConfigType.List, "./data", "Directories holding partition data."),
        new("num.partitions", ConfigType.Int, "1", "Partitions of an auto-created topic or of a CreateTopics request that gives -1.") { Min = 1 },
        new("default.replication.factor", ConfigType.Int, "1", "Replication factor of auto-created topics.") { Min = 1 },
        new("auto.create.topics.enable", ConfigType.Boolean, "true", "Create a topic when a client asks Metadata for it (and allows it) or produces to it."),
        new("delete.topic.enable", ConfigType.Boolean, "true", "Allow DeleteTopics."),
        new("message.max.bytes", ConfigType.Int, "1048588", "Largest record batch accepted.") { Min = 0, TopicSynonym = "max.message.bytes", Dynamic = true },
        new("socket.request.max.bytes", ConfigType.Int, "104857600", "Largest request frame; a larger size prefix closes the connection.") { Min = 1 },
        new("fetch.max.bytes", ConfigType.Int, "57671680", "Upper bound on a Fetch response's size.") { Min = 1024 },
        new("log.segment.bytes", ConfigType.Int, "1073741824", "Size at which a segment rolls.") { Min = 14, TopicSynonym = "segment.bytes", Dynamic = true },
        new("log.roll.hours", ConfigType.Int, "168", "Age at which a segment rolls, in hours.") { Min = 1 },
        new("log.roll.ms", ConfigType.Long, null, "Age at which a segment rolls; wins over log.roll.hours.") { Min = 1, TopicSynonym = "segment.ms", Dynamic = true },
        new("log.retention.hours", ConfigType.Int, "168", "How long to keep a segment, in hours.") { Min = -1 },
        new("log.retention.minutes", ConfigType.Int, null, "How long to keep a segment, in minutes; wins over hours.") { Min = -1 },
        new("log.retention.ms", ConfigType.Long, null, "How long to keep a segment; wins over minutes; -1 keeps forever.") { Min = -1, TopicSynonym = "retention.ms", Dynamic = true },
        new("log.retention.bytes", ConfigType.Long, "-1", "Largest size of a partition before old segments are deleted; -1 for no limit.") { TopicSynonym = "retention.bytes", Dynamic = true },
        new("log.retention.check.interval.ms", ConfigType.Long, "300000", "How often retention runs.") { Min = 1 },
        new("log.index.interval.bytes", ConfigType.Int, "4096", "Bytes of log between offset index entries.") { Min = 0, TopicSynonym = "index.interval.bytes", Dynamic = true },
        new("log.index.size.max.bytes", ConfigType.Int, "10485760", "Largest offset index file.") { Min = 4, TopicSynonym = "segment.index.bytes", Dynamic = true },
        new("log.flush.interval.messages", ConfigType.Long, "9223372036854775807", "fsync after this many messages.") { Min = 1, TopicSynonym = "flush.messages", Dynamic = true },
        new("log.flush.interval.ms", ConfigType.Long, null, "fsync after this long; unset means never by time.") { Min = 0, TopicSynonym = "flush.ms", Dynamic = true },
        new("log.flush.offset.checkpoint.interval.ms", ConfigType.Long, "60000", "How often recovery points are checkpointed.") { Min = 0 },
        new("log.segment.delete.delay.ms", ConfigType.Long, "60000", "Delay before a deleted segment's files are removed.") { Min = 0, TopicSynonym = "file.delete.delay.ms", Dynamic = true },
        new("log.message.timestamp.type", ConfigType.String, "CreateTime", "Timestamp stored for each record.") { ValidValues = ["CreateTime", "LogAppendTime"], TopicSynonym = "message.timestamp.type", Dynamic = true },
        new("log.cleanup.policy", ConfigType.List, "delete", "delete and/or compact.") { ValidValues = ["delete", "compact"], TopicSynonym = "cleanup.policy", Dynamic = true },
        new("compression.type", ConfigType.String, "producer", "Codec for stored batches; only producer (keep as sent) is supported.") { ValidValues = ["producer"], TopicSynonym = "compression.type", Dynamic = true },
        new("min.insync.replicas", ConfigType.Int, "1", "Replicas that must acknowledge an acks=all write.") { Min = 1, TopicSynonym = "min.insync.replicas", Dynamic = true },
        new("log.cleaner.delete.retention.ms", ConfigType.Long, "86400000", "How long tombstones stay readable in compacted topics.") { Min = 0, TopicSynonym = "delete.retention.ms", Dynamic = true },
        new("log.cleaner.min.cleanable.ratio", ConfigType.Double, "0.5", "Dirty ratio that makes a compacted log eligible for cleaning.") { Min = 0, Max = 1, TopicSynonym = "min.cleanable.dirty.ratio", Dynamic = true },
        new("log.cleaner.min.compaction.lag.ms", ConfigType.Long, "0", "Minimum age of a record before it may be compacted.") { Min = 0, TopicSynonym = "min.compaction.lag.ms", Dynamic = true },
        new("log.message.timestamp.before.max.ms", ConfigType.Long, "9223372036854775807", "Largest accepted age of a CreateTime timestamp.") { Min = 0, TopicSynonym = "message.timestamp.before.max.ms", Dynamic = true },
        new("log.message.timestamp.after.max.ms", ConfigType.Long, "9223372036854775807", "Largest accepted lead of a CreateTime timestamp over the broker clock.") { Min = 0, TopicSynonym = "message.timestamp.after.max.ms", Dynamic = true },
        new("log.cleaner.enable", ConfigType.Boolean, "true", "Run the log cleaner, which compacts topics whose cleanup.policy includes compact."),
        new("log.cleaner.io.max.bytes.per.second", ConfigType.Double, "1.7976931348623157E308", "Read plus write I/O budget of the log cleaner.") { Min = 1 },
        new("log.cleaner.dedupe.buffer.size", ConfigType.Long, "134217728", "Memory for the cleaner's key-to-offset map; bounds how much dirty log one pass can clean.") { Min = 1024 * 1024 },
        new("log.cleaner.backoff.ms", ConfigType.Long, "15000", "Pause between cleaner passes when no log needs cleaning.") { Min = 0 },
        new("log.cleaner.max.compaction.lag.ms", ConfigType.Long, "9223372036854775807", "Longest a record stays uncompacted; a log with an older dirty segment is cleaned whatever its dirty ratio.") { Min = 1, TopicSynonym = "max.compaction.lag.ms", Dynamic = true },
        new("group.min.session.timeout.ms", ConfigType.Int, "6000", "Smallest session.timeout.ms a group member may ask for.") { Min = 0 },
        new("group.max.session.timeout.ms", ConfigType.Int, "1800000", "Largest session.timeout.ms a group member may ask for.") { Min = 0 },
        new("group.initial.rebalance.delay.ms", ConfigType.Int, "3000", "How long the first rebalance of an empty group waits for more members to join.") { Min = 0 },
        new("group.max.size", ConfigType.Int, "2147483647", "Most members one group may have.") { Min = 1 },
        new("offsets.topic.num.partitions", ConfigType.Int, "50", "Partitions of __consumer_offsets (fixed once the topic exists).") { Min = 1 },
        new("offsets.topic.replication.factor", ConfigType.Int, "1", "Replication factor of __consumer_offsets (Kafka's default is 3; 1 suits a single node).") { Min = 1 },
        new("offsets.topic.segment.bytes", ConfigType.Int, "104857600", "segment.bytes of __consumer_offsets, kept small for fast compaction and loading.") { Min = 1024 },
        new("offsets.retention.minutes", ConfigType.Int, "10080", "How long committed offsets of an empty group are kept.") { Min = 1 },
        new("offsets.retention.check.interval.ms", ConfigType.Long, "600000", "How often expired offsets are removed.") { Min = 1 },
        new("offset.metadata.max.bytes", ConfigType.Int, "4096", "Largest metadata string of a committed offset.") { Min = 0 },
        new("max.partitions", ConfigType.Int, "5000", "AkkaLog only: most partitions this broker hosts (each keeps about 3 files open); CreateTopics and CreatePartitions past it fail with INVALID_PARTITIONS.") { Min = 1 },
        new("admin.http.listener", ConfigType.String, null, "AkkaLog only: host:port of the read-only HTTP admin API (GET /v1/groups, /v1/groups/{group}/lag); unset means off."),
        new("shutdown.timeout.ms", ConfigType.Long, "30000", "How long a graceful stop waits for in-flight requests.") { Min = 0 },
    }.ToDictionary(k => k.Name);

    /// <summary>The default of a broker key.</summary>
    public static string? DefaultOf(string name) => All[name].Default;
}
