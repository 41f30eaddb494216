namespace AkkaLog.Storage.Cleaner;

/// <summary>Ends a clean early because the log no longer needs or allows it; the pass ends as <see cref="CleanerPassOutcome.Aborted"/>.</summary>
internal sealed class LogCleaningAbortedException(TopicPartition partition, string reason)
    : Exception($"{partition}: cleaning abandoned: {reason}");
