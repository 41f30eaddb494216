namespace AkkaLog.Hocon.Tests;

/// <summary>Parsing helpers with a fake environment, so tests never depend on the real one.</summary>
internal static class TestHocon
{
    public static readonly Dictionary<string, string> Environment = new()
    {
        ["AKKALOG_TEST_HOME"] = "/home/broker",
        ["AKKALOG_TEST_PORT"] = "19092",
        ["PATH"] = "/usr/bin",
    };

    public static HoconObject Parse(string text, string? file = null) =>
        HoconParser.Parse(text, file, name => Environment.GetValueOrDefault(name));

    /// <summary>Parses and returns the flattened configuration keys and values.</summary>
    public static Dictionary<string, string?> Flat(string text) =>
        Parse(text).Flatten().ToDictionary(e => e.Key, e => e.Value);

    public static string? Scalar(this HoconObject root, string path) =>
        Assert.IsType<HoconScalar>(root.Find(path)).Value;

    public static HoconException Fails(string text, string? file = null) =>
        Assert.Throws<HoconException>(() => Parse(text, file));
}
