using Microsoft.Win32.SafeHandles;

namespace AkkaLog.Storage.Internal;

/// <summary>Positional I/O helpers over <see cref="RandomAccess"/>.</summary>
internal static class FileIo
{
    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the bytes read.</summary>
    public static int ReadAtLeast(SafeFileHandle handle, Span<byte> buffer, long fileOffset)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[read..], fileOffset + read);
            if (n == 0) break;
            read += n;
        }
        return read;
    }

    public static SafeFileHandle OpenShared(string path, FileMode mode) =>
        File.OpenHandle(path, mode, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

    /// <summary>fsyncs a directory so that renames and creations in it survive a crash (no-op where unsupported).</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            using var handle = File.OpenHandle(directory, FileMode.Open, FileAccess.Read);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Some file systems refuse to open or sync directories; the data files are synced regardless.
        }
    }
}
