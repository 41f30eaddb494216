using System.Globalization;

namespace AkkaLog.Storage;

/// <summary>
/// A partition of a topic. Its log lives in the directory <c>&lt;topic&gt;-&lt;partition&gt;</c>;
/// topic names may contain '-', so parsing splits on the last one.
/// </summary>
public readonly record struct TopicPartition(string Topic, int Partition)
{
    /// <summary>The partition's directory name, <c>&lt;topic&gt;-&lt;partition&gt;</c>.</summary>
    public string DirectoryName => Topic + "-" + Partition.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a directory name; false for names that are not <c>&lt;topic&gt;-&lt;partition&gt;</c>.</summary>
    public static bool TryParseDirectoryName(string name, out TopicPartition topicPartition)
    {
        topicPartition = default;
        int dash = name.LastIndexOf('-');
        if (dash <= 0 || dash == name.Length - 1) return false;
        if (!int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int partition))
            return false;
        topicPartition = new TopicPartition(name[..dash], partition);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => DirectoryName;
}
