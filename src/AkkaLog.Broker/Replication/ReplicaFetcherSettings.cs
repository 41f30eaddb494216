namespace AkkaLog.Broker.Replication;

/// <summary>How followers fetch (replica.fetch.* keys).</summary>
/// <param name="NodeId">This broker's id, sent as the Fetch replica id.</param>
/// <param name="MaxWaitMs">replica.fetch.wait.max.ms: the leader's long-poll bound.</param>
/// <param name="PartitionMaxBytes">replica.fetch.max.bytes: per partition and fetch.</param>
/// <param name="ResponseMaxBytes">replica.fetch.response.max.bytes: per fetch.</param>
/// <param name="BackoffMs">replica.fetch.backoff.ms: pause after an error.</param>
/// <param name="SocketTimeoutMs">replica.socket.timeout.ms: bound on connecting and on each answer beyond the long poll.</param>
internal sealed record ReplicaFetcherSettings(int NodeId, int MaxWaitMs, int PartitionMaxBytes, int ResponseMaxBytes, int BackoffMs, int SocketTimeoutMs);
