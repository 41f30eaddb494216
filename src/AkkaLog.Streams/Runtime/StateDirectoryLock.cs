namespace AkkaLog.Streams.Internal;

/// <summary>
/// Keeps two running instances from sharing one application state directory (their persistent stores
/// and checkpoints would overwrite each other): an exclusively opened <c>.lock</c> file in
/// <c>&lt;state.dir&gt;/&lt;application.id&gt;</c>, released on stop and by the OS when the process dies.
/// </summary>
internal static class StateDirectoryLock
{
    public static IDisposable Acquire(StreamsConfig config)
    {
        string dir = Path.Combine(config.StateDir, config.ApplicationId);
        Directory.CreateDirectory(dir);
        try
        {
            return new FileStream(Path.Combine(dir, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"state directory {dir} is in use by another running instance: give each instance its own state.dir", e);
        }
    }
}
