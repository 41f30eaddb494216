namespace AkkaLog.Protocol.Records;

/// <summary>What <see cref="RecordBatchValidator"/> enforces.</summary>
public readonly record struct RecordBatchLimits
{
    /// <summary>Largest batch accepted in bytes (max.message.bytes); 0 for no limit.</summary>
    public int MaxBatchBytes { get; init; }
    /// <summary>Batches from a producer may not be control or LogAppendTime batches.</summary>
    public bool FromProducer { get; init; }
    /// <summary>Parse every record (decompressing if needed), as Kafka's LogValidator does.</summary>
    public bool ValidateRecords { get; init; }
    /// <summary>Compacted topics refuse records with null keys.</summary>
    public bool RequireKeys { get; init; }
}
