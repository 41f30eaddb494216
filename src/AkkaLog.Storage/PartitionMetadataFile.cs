using System.Buffers.Text;
using System.Text;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

/// <summary>
/// Kafka's <c>partition.metadata</c> file, beside a partition's segments: which topic (by id, KIP-516)
/// the directory belongs to, so a directory left from a topic that was deleted and recreated under the
/// same name (while this broker was down) is recognised as stale instead of served as the new topic's data.
/// <code>
/// version: 0
/// topic_id: tY-Cs3fDQXWq3mIkgOUp6A     the topic id: 16 bytes big-endian, URL-safe base64 without padding (Kafka's Uuid.toString)
/// </code>
/// Crash story: written to <c>partition.metadata.tmp</c>, fsynced, renamed over the old file, directory
/// fsynced; a leftover <c>.tmp</c> is deleted when the log opens.
/// </summary>
public static class PartitionMetadataFile
{
    /// <summary>The file's name inside a partition directory.</summary>
    public const string FileName = "partition.metadata";

    /// <summary>What a partition directory says about its topic.</summary>
    public enum State
    {
        /// <summary>No file (a directory written before topic ids were recorded).</summary>
        Missing,
        /// <summary>The file names a topic id.</summary>
        Present,
        /// <summary>The file exists but cannot be read.</summary>
        Corrupt,
    }

    /// <summary>Atomically writes the file naming <paramref name="topicId"/> into <paramref name="directory"/>.</summary>
    public static void Write(string directory, Guid topicId)
    {
        string path = Path.Combine(directory, FileName);
        string tmp = path + ".tmp";
        var text = Encoding.UTF8.GetBytes($"version: 0\ntopic_id: {ToKafkaString(topicId)}\n");
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(text);
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        FileIo.FlushDirectory(directory);
    }

    /// <summary>Reads the file in <paramref name="directory"/>; the topic id when <see cref="State.Present"/>.</summary>
    public static State Read(string directory, out Guid topicId, out string? problem)
    {
        topicId = Guid.Empty;
        problem = null;
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return State.Missing;
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (IOException e)
        {
            problem = e.Message;
            return State.Corrupt;
        }
        string? version = null, id = null;
        foreach (var line in lines)
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            if (key == "version") version = value;
            else if (key == "topic_id") id = value;
        }
        if (version != "0") problem = $"unknown version '{version}'";
        else if (id is null || !TryParseKafkaString(id, out topicId)) problem = $"unreadable topic_id '{id}'";
        return problem is null ? State.Present : State.Corrupt;
    }

    /// <summary>Kafka's text form of a UUID: its 16 big-endian bytes in URL-safe base64 without padding.</summary>
    public static string ToKafkaString(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Parses Kafka's text form of a UUID.</summary>
    public static bool TryParseKafkaString(string text, out Guid id)
    {
        id = Guid.Empty;
        Span<byte> bytes = stackalloc byte[18];
        if (text.Length != 22 || !Base64Url.TryDecodeFromChars(text, bytes, out int written) || written != 16) return false;
        id = new Guid(bytes[..16], bigEndian: true);
        return true;
    }
}
