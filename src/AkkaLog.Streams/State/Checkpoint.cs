using System.Globalization;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// A persistent store's checkpoint: <c>&lt;task dir&gt;/&lt;store&gt;.checkpoint</c> holding the changelog offset
/// that the store's file contains everything up to. Written at each commit after the file was flushed
/// and the changelog acknowledged, through a temporary file and a rename, so it is whole or absent.
/// Restore then reads only the changelog's tail after it.
/// </summary>
internal static class Checkpoint
{
    public static long Read(string directory, string store)
    {
        string path = Path.Combine(directory, store + ".checkpoint");
        if (!File.Exists(path)) return -1;
        return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long offset) ? offset : -1;
    }

    public static void Write(string directory, string store, long offset)
    {
        string path = Path.Combine(directory, store + ".checkpoint");
        File.WriteAllText(path + ".tmp", offset.ToString(CultureInfo.InvariantCulture));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static void Delete(string directory, string store) => File.Delete(Path.Combine(directory, store + ".checkpoint"));
}
