namespace AkkaLog.Broker.Metadata;

/// <summary>
/// The replication state of one partition, as the metadata store holds it (Kafka's PartitionRecord /
/// LeaderAndIsr): the assigned replicas (the first is the preferred leader), the leader (-1 when
/// none is available), the leader epoch (bumped on every leader change; fences stale leaders and
/// followers), the in-sync replicas, and the partition epoch (bumped on every change, so a writer
/// holding an older state loses its compare-and-swap). During a reassignment <see cref="Replicas"/>
/// is the union of old and new replicas and <see cref="Adding"/>/<see cref="Removing"/> say which is which.
/// </summary>
public sealed record PartitionState
{
    /// <summary>No leader.</summary>
    public const int NoLeader = -1;

    /// <summary>Assigned replicas, preferred leader first.</summary>
    public required int[] Replicas { get; init; }
    /// <summary>The leader's node id, or <see cref="NoLeader"/>.</summary>
    public required int Leader { get; init; }
    /// <summary>Leader epoch.</summary>
    public required int LeaderEpoch { get; init; }
    /// <summary>In-sync replicas (the leader included while there is one).</summary>
    public required int[] Isr { get; init; }
    /// <summary>Partition epoch: bumped by every change.</summary>
    public required int PartitionEpoch { get; init; }
    /// <summary>
    /// The leader's registration (<see cref="Handlers.BrokerNode.Incarnation"/>) when it was elected: a
    /// leader that restarted has a new one, so its old leadership is recognised as stale and re-elected.
    /// </summary>
    public long LeaderIncarnation { get; init; }
    /// <summary>
    /// The registration (<see cref="Handlers.BrokerNode.Incarnation"/>) under which each ISR member joined the ISR
    /// (KIP-903). A member live under another one has restarted since, and may have lost what it had not flushed:
    /// the controller drops it from the ISR and it re-earns its place by catching up. A member with no entry
    /// (or 0: states written before this was recorded, the single-node store) is not checked.
    /// </summary>
    public IReadOnlyDictionary<int, long> IsrIncarnations { get; init; } = NoIncarnations;

    private static readonly IReadOnlyDictionary<int, long> NoIncarnations = new Dictionary<int, long>();

    /// <summary>Replicas being added by a reassignment.</summary>
    public int[] Adding { get; init; } = [];
    /// <summary>Replicas being removed by a reassignment.</summary>
    public int[] Removing { get; init; } = [];

    /// <summary>
    /// The store's version of this state (etcd: the key's mod revision; embedded: a counter). Not part
    /// of the stored value: a compare-and-swap compares it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Version { get; init; }

    /// <summary>True while a reassignment is in progress.</summary>
    public bool IsReassigning => Adding.Length > 0 || Removing.Length > 0;

    /// <summary>The preferred leader (first assigned replica).</summary>
    public int PreferredLeader => Replicas.Length > 0 ? Replicas[0] : NoLeader;

    /// <summary>The replicas a completed reassignment keeps (all of them when none runs).</summary>
    public int[] TargetReplicas => Removing.Length == 0 ? Replicas : Replicas.Where(r => !Removing.Contains(r)).ToArray();

    /// <summary>A single-replica partition led by <paramref name="node"/> (the embedded store's shape).</summary>
    public static PartitionState SingleReplica(int node, int leaderEpoch = 0) =>
        new() { Replicas = [node], Leader = node, LeaderEpoch = leaderEpoch, Isr = [node], PartitionEpoch = 0 };

    /// <summary>The incarnation <paramref name="member"/> joined the ISR under, or 0 when unknown.</summary>
    public long IsrIncarnationOf(int member) => IsrIncarnations.TryGetValue(member, out long incarnation) ? incarnation : 0;

    /// <summary>
    /// A copy whose ISR is <paramref name="isr"/>: members that stay keep the incarnation they joined under, those in
    /// <paramref name="joined"/> take the one given there (entries of former members are dropped).
    /// </summary>
    public PartitionState WithIsr(int[] isr, IReadOnlyDictionary<int, long>? joined = null)
    {
        var incarnations = new Dictionary<int, long>();
        foreach (int member in isr)
        {
            long incarnation = joined is not null && joined.TryGetValue(member, out long j) ? j : IsrIncarnationOf(member);
            if (incarnation != 0) incarnations[member] = incarnation;
        }
        return this with { Isr = isr, IsrIncarnations = incarnations };
    }

    /// <summary>True when both describe the same replicas, leader, epochs and ISR (the version aside).</summary>
    public bool SameAs(PartitionState other) =>
        Leader == other.Leader && LeaderEpoch == other.LeaderEpoch && LeaderIncarnation == other.LeaderIncarnation && PartitionEpoch == other.PartitionEpoch
        && Replicas.AsSpan().SequenceEqual(other.Replicas) && Isr.AsSpan().SequenceEqual(other.Isr)
        && Adding.AsSpan().SequenceEqual(other.Adding) && Removing.AsSpan().SequenceEqual(other.Removing);

    /// <inheritdoc />
    public override string ToString() =>
        $"leader={Leader} epoch={LeaderEpoch} replicas=[{string.Join(',', Replicas)}] isr=[{string.Join(',', Isr)}] pepoch={PartitionEpoch}"
        + (IsReassigning ? $" adding=[{string.Join(',', Adding)}] removing=[{string.Join(',', Removing)}]" : "");
}
