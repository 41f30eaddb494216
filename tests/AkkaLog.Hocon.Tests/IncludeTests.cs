namespace AkkaLog.Hocon.Tests;

public sealed class IncludeTests
{
    [Fact]
    public void IncludeIsRelativeToTheIncludingFileAndMergesInPlace()
    {
        using var dir = new TempDirectory();
        dir.Write("conf/base/defaults.conf", "log { dirs = /default, segment.bytes = 1g }\nport = 9092");
        dir.Write("conf/base/more.conf", "extra = yes");
        var main = dir.Write("conf/main.conf", """
            include "base/defaults.conf"
            include file("base/more.conf")
            log.dirs = /data
            """);

        var root = HoconParser.ParseFile(main);

        Assert.Equal("/data", root.Scalar("log.dirs"));
        Assert.Equal("1g", root.Scalar("log.segment.bytes"));
        Assert.Equal("yes", root.Scalar("extra"));
    }

    [Fact]
    public void LaterIncludeOverridesEarlierFields()
    {
        using var dir = new TempDirectory();
        dir.Write("override.conf", "port = 1");
        var main = dir.Write("main.conf", "port = 9092\ninclude \"override.conf\"");

        Assert.Equal("1", HoconParser.ParseFile(main).Scalar("port"));
    }

    [Fact]
    public void IncludeInsideAnObjectNestsTheFields()
    {
        using var dir = new TempDirectory();
        dir.Write("tls.conf", "enabled = true\nport = 9093");
        var main = dir.Write("main.conf", "listener {\n  include required(file(\"tls.conf\"))\n  port = 9094\n}");

        var root = HoconParser.ParseFile(main);

        Assert.Equal("true", root.Scalar("listener.enabled"));
        Assert.Equal("9094", root.Scalar("listener.port"));
    }

    [Fact]
    public void SubstitutionsResolveAcrossFiles()
    {
        using var dir = new TempDirectory();
        dir.Write("paths.conf", "data = ${root}\"/data\"");
        var main = dir.Write("main.conf", "root = /srv\ninclude \"paths.conf\"");

        Assert.Equal("/srv/data", HoconParser.ParseFile(main).Scalar("data"));
    }

    [Fact]
    public void MissingPlainIncludeIsIgnoredAsInTheSpec()
    {
        using var dir = new TempDirectory();
        var main = dir.Write("main.conf", "include \"nope.conf\"\na = 1");

        Assert.Equal("1", HoconParser.ParseFile(main).Scalar("a"));
    }

    [Fact]
    public void MissingRequiredIncludeFailsWithPosition()
    {
        using var dir = new TempDirectory();
        var main = dir.Write("main.conf", "a = 1\n  include required(\"nope.conf\")");

        var ex = Assert.Throws<HoconException>(() => HoconParser.ParseFile(main));

        Assert.Equal(new HoconSource(main, 2, 3), ex.Position);
        Assert.Contains("required include file", ex.Message);
        Assert.Contains("nope.conf", ex.Message);
    }

    [Fact]
    public void ErrorInIncludedFileNamesThatFile()
    {
        using var dir = new TempDirectory();
        var bad = dir.Write("bad.conf", "ok = 1\nbroken value here = = 2");
        var main = dir.Write("main.conf", "include \"bad.conf\"");

        var ex = Assert.Throws<HoconException>(() => HoconParser.ParseFile(main));

        Assert.Equal(bad, ex.Position.File);
        Assert.Equal(2, ex.Position.Line);
    }

    [Fact]
    public void IncludeCycleIsReported()
    {
        using var dir = new TempDirectory();
        dir.Write("a.conf", "include \"b.conf\"");
        dir.Write("b.conf", "include \"a.conf\"");

        var ex = Assert.Throws<HoconException>(() => HoconParser.ParseFile(Path.Combine(dir.Path, "a.conf")));

        Assert.Contains("include cycle", ex.Message);
    }

    [Fact]
    public void UnsupportedIncludeKindsFail()
    {
        Assert.Contains("not supported", TestHocon.Fails("include url(\"http://x\")").Message);
        Assert.Contains("malformed include", TestHocon.Fails("include file(\"x.conf\"").Message);
    }
}
