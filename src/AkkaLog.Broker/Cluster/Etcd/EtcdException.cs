namespace AkkaLog.Broker.Cluster.Etcd;

/// <summary>
/// etcd could not be reached on any endpoint, or answered with an error. <see cref="IsUnavailable"/>
/// tells a transport failure (retry later, maybe another endpoint) from an error etcd reported
/// (such as a lease that no longer exists, or a watch revision that was compacted away).
/// </summary>
public sealed class EtcdException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EtcdException(string message, bool isUnavailable, Exception? inner = null, int grpcCode = 0) : base(message, inner)
    {
        IsUnavailable = isUnavailable;
        GrpcCode = grpcCode;
    }

    /// <summary>True when no endpoint answered (network error, timeout, etcd down).</summary>
    public bool IsUnavailable { get; }

    /// <summary>The gRPC status code etcd gave (5 = not found, e.g. an expired lease), or 0.</summary>
    public int GrpcCode { get; }

    /// <summary>True when etcd said the lease does not exist (expired or revoked).</summary>
    public bool IsLeaseNotFound => GrpcCode == 5 && Message.Contains("lease not found", StringComparison.OrdinalIgnoreCase);
}
