using AkkaLog.Broker.Metadata;

namespace AkkaLog.Broker.Partitions;

/// <summary>What a partition actor needs to replicate: who it is, where ISR changes go, the lag rule.</summary>
/// <param name="NodeId">This broker's id.</param>
/// <param name="Store">The metadata store (the leader changes its ISR there by compare-and-swap).</param>
/// <param name="ReplicaLagTimeMaxMs">replica.lag.time.max.ms: a follower not caught up for longer leaves the ISR.</param>
/// <param name="LeadershipChanged">Called (on the actor) when this replica becomes or stops being leader.</param>
/// <param name="ActorRestarted">Called (on the actor) when a supervisor restarted it: its role must be applied again.</param>
internal sealed record ReplicationContext(int NodeId, IMetadataStore Store, long ReplicaLagTimeMaxMs, Action<Partition, bool> LeadershipChanged,
    Action<Partition> ActorRestarted);
