namespace AkkaLog.Broker.Metadata;

/// <summary>Kafka's rules for topic names: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".</summary>
public static class TopicNames
{
    /// <summary>Longest legal name (leaves room for the partition suffix in a directory name).</summary>
    public const int MaxLength = 249;

    /// <summary>Returns null if legal, else why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "topic name is empty";
        if (name is "." or "..") return $"topic name cannot be '{name}'";
        if (name.Length > MaxLength) return $"topic name is longer than {MaxLength} characters";
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                return $"topic name '{name}' contains '{c}'; legal characters are ASCII letters, digits, '.', '_' and '-'";
        return null;
    }

    /// <summary>Internal topics start with a double underscore.</summary>
    public static bool IsInternal(string name) => name.StartsWith("__", StringComparison.Ordinal);
}
