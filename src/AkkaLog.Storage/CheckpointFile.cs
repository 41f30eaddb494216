using System.Globalization;
using System.Text;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

/// <summary>
/// Kafka's checkpoint text format, shared by <c>recovery-point-offset-checkpoint</c>,
/// <c>log-start-offset-checkpoint</c> and <c>leader-epoch-checkpoint</c>:
/// <code>
/// 0                 version
/// 2                 number of entry lines
/// orders 0 1042     entries: space-separated fields, one per line
/// orders 1 977
/// </code>
/// Crash story: a write goes to <c>&lt;name&gt;.tmp</c>, is fsynced, then renamed over the old file and
/// the directory fsynced, so a reader finds either the old or the new checkpoint, whole. A file that
/// does not parse is reported as corrupt (null) and the caller falls back to a safe default.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The only version written and read.</summary>
    public const int CurrentVersion = 0;

    /// <summary>Atomically replaces <paramref name="path"/> with the given entry lines.</summary>
    public static void Write(string path, IReadOnlyCollection<string> lines)
    {
        var text = new StringBuilder();
        text.Append(CurrentVersion.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(lines.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var line in lines) text.Append(line).Append('\n');
        string tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        FileIo.FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>The entry lines of a checkpoint; empty if the file is missing, null if it is corrupt.</summary>
    public static IReadOnlyList<string>? Read(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0].Trim() != "0") return null;
        if (!int.TryParse(lines[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count)) return null;
        var entries = lines.Skip(2).Where(l => l.Length > 0).ToList();
        return entries.Count == count ? entries : null;
    }

    /// <summary>Writes a <c>topic partition offset</c> checkpoint (recovery points, log start offsets).</summary>
    public static void WriteOffsets(string path, IEnumerable<KeyValuePair<TopicPartition, long>> offsets) =>
        Write(path, offsets.Select(kv => string.Create(CultureInfo.InvariantCulture,
            $"{kv.Key.Topic} {kv.Key.Partition} {kv.Value}")).ToList());

    /// <summary>Reads a <c>topic partition offset</c> checkpoint; empty if missing, null if corrupt.</summary>
    public static Dictionary<TopicPartition, long>? ReadOffsets(string path)
    {
        var lines = Read(path);
        if (lines is null) return null;
        var offsets = new Dictionary<TopicPartition, long>(lines.Count);
        foreach (var line in lines)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3
                || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int partition)
                || !long.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long offset))
                return null;
            offsets[new TopicPartition(fields[0], partition)] = offset;
        }
        return offsets;
    }
}
