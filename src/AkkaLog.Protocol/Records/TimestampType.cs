namespace AkkaLog.Protocol.Records;

/// <summary>Which clock a batch's timestamps come from (attribute bit 3).</summary>
public enum TimestampType : byte
{
    /// <summary>The producer's clock.</summary>
    CreateTime = 0,
    /// <summary>The broker's clock at append; the batch's max timestamp applies to every record.</summary>
    LogAppendTime = 1,
}
