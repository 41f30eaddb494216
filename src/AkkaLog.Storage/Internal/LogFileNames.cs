using System.Globalization;

namespace AkkaLog.Storage.Internal;

/// <summary>Kafka's file names inside a partition directory.</summary>
internal static class LogFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string DeletedSuffix = ".deleted";
    public const string CleanedSuffix = ".cleaned";
    public const string SwapSuffix = ".swap";
    public const string LeaderEpochCheckpoint = "leader-epoch-checkpoint";

    /// <summary><c>00000000000000000042.log</c> for base offset 42 and suffix <c>.log</c>.</summary>
    public static string FileName(long baseOffset, string suffix) =>
        baseOffset.ToString("D20", CultureInfo.InvariantCulture) + suffix;

    public static string PathOf(string directory, long baseOffset, string suffix) =>
        Path.Combine(directory, FileName(baseOffset, suffix));

    /// <summary>Parses the base offset of a segment file with the given suffix.</summary>
    public static bool TryParseBaseOffset(string fileName, string suffix, out long baseOffset)
    {
        baseOffset = 0;
        if (!fileName.EndsWith(suffix, StringComparison.Ordinal)) return false;
        var digits = fileName.AsSpan(0, fileName.Length - suffix.Length);
        return digits.Length == 20 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }

    /// <summary>Parses the 20-digit base offset a segment file name starts with, whatever suffixes follow.</summary>
    public static bool TryParseLeadingBaseOffset(string fileName, out long baseOffset)
    {
        baseOffset = 0;
        return fileName.Length > 20 && fileName[20] == '.'
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
