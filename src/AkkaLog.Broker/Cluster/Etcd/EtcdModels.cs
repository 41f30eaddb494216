namespace AkkaLog.Broker.Cluster.Etcd;

/// <summary>One key as etcd stores it: the value and the revisions that make compare-and-swap possible.</summary>
/// <param name="Key">The key (UTF-8 text; AkkaLog never stores binary keys).</param>
/// <param name="Value">The value bytes.</param>
/// <param name="CreateRevision">Revision at which the key was created (0 never: a stored key has one).</param>
/// <param name="ModRevision">Revision of the last change: what a CAS compares.</param>
/// <param name="Version">Number of changes since creation.</param>
/// <param name="Lease">Lease the key is attached to, or 0.</param>
public sealed record EtcdKeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision, long Version, long Lease);

/// <summary>What a transaction compares (etcd's Compare.CompareTarget).</summary>
public enum EtcdCompareTarget
{
    /// <summary>The key's version (0 when absent).</summary>
    Version,
    /// <summary>The key's create revision (0 when absent): "create if absent" compares it with 0.</summary>
    Create,
    /// <summary>The key's mod revision: compare-and-swap compares it with the revision read.</summary>
    Mod,
    /// <summary>The value bytes.</summary>
    Value,
    /// <summary>The key's lease id.</summary>
    Lease,
}

/// <summary>One condition of a transaction: the key's target must EQUAL the given number (or value).</summary>
/// <param name="Key">The key compared.</param>
/// <param name="Target">Which attribute.</param>
/// <param name="Number">Revision, version or lease for the numeric targets.</param>
/// <param name="Value">Bytes for <see cref="EtcdCompareTarget.Value"/>.</param>
public sealed record EtcdCompare(string Key, EtcdCompareTarget Target, long Number = 0, byte[]? Value = null)
{
    /// <summary>True when <paramref name="key"/> does not exist.</summary>
    public static EtcdCompare Absent(string key) => new(key, EtcdCompareTarget.Create, 0);
    /// <summary>True when <paramref name="key"/> was last changed at <paramref name="modRevision"/>.</summary>
    public static EtcdCompare ModifiedAt(string key, long modRevision) => new(key, EtcdCompareTarget.Mod, modRevision);
    /// <summary>True when <paramref name="key"/> was created at <paramref name="createRevision"/> (and still exists).</summary>
    public static EtcdCompare CreatedAt(string key, long createRevision) => new(key, EtcdCompareTarget.Create, createRevision);
}

/// <summary>An operation inside a transaction.</summary>
public abstract record EtcdOp
{
    private EtcdOp() { }

    /// <summary>Writes a key, optionally attached to a lease.</summary>
    public sealed record Put(string Key, byte[] Value, long Lease = 0) : EtcdOp;

    /// <summary>Deletes a key, or every key with the prefix when <paramref name="Prefix"/> is set.</summary>
    public sealed record Delete(string Key, bool Prefix = false) : EtcdOp;

    /// <summary>Reads a key (or a prefix).</summary>
    public sealed record Get(string Key, bool Prefix = false) : EtcdOp;
}

/// <summary>The outcome of a transaction.</summary>
/// <param name="Succeeded">True when every compare held and the success branch ran.</param>
/// <param name="Revision">The store revision after the transaction.</param>
/// <param name="Ranges">Keys read by the branch's <see cref="EtcdOp.Get"/> operations, in order.</param>
public sealed record EtcdTxnResult(bool Succeeded, long Revision, IReadOnlyList<IReadOnlyList<EtcdKeyValue>> Ranges);

/// <summary>A range read: the keys and the store revision they were read at.</summary>
/// <param name="Revision">Store revision of the read; a watch from Revision+1 misses nothing.</param>
/// <param name="Kvs">The keys, in key order.</param>
public sealed record EtcdRangeResult(long Revision, IReadOnlyList<EtcdKeyValue> Kvs);

/// <summary>One change seen by a watch.</summary>
/// <param name="IsDelete">True for a deletion (or lease expiry); <see cref="Kv"/> then has only key and mod revision.</param>
/// <param name="Kv">The key after the change.</param>
public sealed record EtcdWatchEvent(bool IsDelete, EtcdKeyValue Kv);

/// <summary>A batch of watch events that happened at one revision, or a progress/creation notice without events.</summary>
/// <param name="Revision">Mod revision of the last event, or 0 for a notice without events.</param>
/// <param name="Events">The changes (may be empty).</param>
public sealed record EtcdWatchBatch(long Revision, IReadOnlyList<EtcdWatchEvent> Events);
