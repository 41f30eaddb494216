namespace AkkaLog.Streams.Internal;

/// <summary>
/// A task's state store as the runtime sees it. Writes go to the store at once and are remembered as
/// dirty; <see cref="WriteChanges"/> (at every commit, before offsets are committed) sends the latest
/// value of each dirty key to the compacted changelog and, for a persistent store, appends it to the
/// local file. Restoring replays changelog records through <see cref="Restore"/>. Used by the task's
/// thread only, except that reads for interactive queries may come from any thread.
/// </summary>
internal interface IStateStore
{
    string Name { get; }

    /// <summary>The changelog topic, or null when logging is off.</summary>
    string? ChangelogTopic { get; }

    int Partition { get; }

    bool Persistent { get; }

    /// <summary>Entries read back from the local file when opened (persistent stores).</summary>
    long LoadedFromLocal { get; }

    /// <summary>The changelog offset the local file is known to contain everything up to (from the checkpoint), or -1.</summary>
    long CheckpointedOffset { get; }

    /// <summary>
    /// Drops everything local (entries, file, checkpoint) because it does not match the changelog, e.g. a
    /// checkpoint past the changelog's end after the application was reset; a full restore follows.
    /// </summary>
    void Wipe();

    /// <summary>Applies one changelog record (null value: delete).</summary>
    void Restore(ReadOnlySpan<byte> key, byte[]? value, long offset);

    /// <summary>Called once the changelog was read to its end: rebuild derived indexes.</summary>
    void RestoreFinished();

    /// <summary>Sends dirty entries to the changelog (and the local file).</summary>
    void WriteChanges(RecordCollector collector);

    /// <summary>After the collector flushed: the last acknowledged changelog offset, for the checkpoint (-1 when none).</summary>
    long AcknowledgedChangelogOffset();

    /// <summary>Makes local data durable (fsync) and compacts the file when worthwhile.</summary>
    void FlushLocal();

    void Close();
}
