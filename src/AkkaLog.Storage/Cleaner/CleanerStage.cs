namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// Points in a clean where the on-disk state changes; tests hook them (<see cref="LogCleaner.OnStage"/>) to
/// copy the directory as a crash at that instant would leave it, then check that opening the copy loses no
/// record and serves no offset twice.
/// </summary>
internal enum CleanerStage
{
    /// <summary>The group's <c>.cleaned</c> files are complete and fsynced; the log is untouched.</summary>
    CleanedFilesWritten,
    /// <summary>The cleaned files are renamed <c>.swap</c>; the replaced segments still have their names.</summary>
    SwapFilesWritten,
    /// <summary>The replaced segments are renamed <c>.deleted</c> (or gone); the swap files are not yet renamed.</summary>
    ReplacedSegmentsRemoved,
}
