namespace AkkaLog.Streams;

/// <summary>A task: one partition of one sub-topology (written <c>subtopology_partition</c>, as Kafka Streams does).</summary>
/// <param name="SubTopology">The sub-topology's number.</param>
/// <param name="Partition">The input partition.</param>
public readonly record struct TaskId(int SubTopology, int Partition) : IComparable<TaskId>
{
    /// <inheritdoc />
    public int CompareTo(TaskId other) => SubTopology != other.SubTopology ? SubTopology.CompareTo(other.SubTopology) : Partition.CompareTo(other.Partition);

    /// <inheritdoc />
    public override string ToString() => $"{SubTopology}_{Partition}";
}
