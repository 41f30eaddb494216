namespace AkkaLog.Hocon.Tests;

public sealed class MergeTests
{
    [Fact]
    public void DuplicateObjectsMergeAndLaterScalarsOverride()
    {
        var flat = TestHocon.Flat("""
            log { dirs = "/a", segment.bytes = 100 }
            log { segment.bytes = 200, flush = yes }
            log.retention.hours = 168
            """);

        Assert.Equal("/a", flat["log:dirs"]);
        Assert.Equal("200", flat["log:segment:bytes"]);
        Assert.Equal("yes", flat["log:flush"]);
        Assert.Equal("168", flat["log:retention:hours"]);
    }

    [Fact]
    public void ScalarReplacesObjectAndObjectReplacesScalar()
    {
        var flat = TestHocon.Flat("a { x = 1 }\na = 5\nb = 5\nb { y = 2 }");

        Assert.Equal("5", flat["a"]);
        Assert.DoesNotContain("a:x", flat.Keys);
        Assert.Equal("2", flat["b:y"]);
        Assert.DoesNotContain("b", flat.Keys);
    }

    [Fact]
    public void ArraysAreReplacedNotMerged()
    {
        var flat = TestHocon.Flat("a = [1, 2, 3]\na = [9]");

        Assert.Equal("9", flat["a:0"]);
        Assert.DoesNotContain("a:1", flat.Keys);
    }

    [Fact]
    public void FieldOrderIsFirstDefinition()
    {
        var root = TestHocon.Parse("b = 1\na = 2\nb = 3");

        Assert.Equal(["b", "a"], root.Keys);
        Assert.Equal("3", root.Scalar("b"));
    }

    [Fact]
    public void MergedKeysReportTheLineThatWon()
    {
        var entries = TestHocon.Parse("a { x = 1\n y = 2 }\na { y = 3 }", "m.conf").Flatten();

        Assert.Equal(new HoconEntry("a:x", "1", new HoconSource("m.conf", 1, 9)), entries[0]);
        Assert.Equal(new HoconEntry("a:y", "3", new HoconSource("m.conf", 3, 9)), entries[1]);
    }
}
