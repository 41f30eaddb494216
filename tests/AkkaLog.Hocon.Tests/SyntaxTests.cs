namespace AkkaLog.Hocon.Tests;

public sealed class SyntaxTests
{
    [Fact]
    public void RootWithoutBracesAndWithBracesAreEquivalent()
    {
        var bare = TestHocon.Flat("a = 1\nb = two");
        var braced = TestHocon.Flat("{ a = 1\n b = two }");

        Assert.Equal(bare, braced);
        Assert.Equal("1", bare["a"]);
        Assert.Equal("two", bare["b"]);
    }

    [Fact]
    public void SeparatorsEqualsColonAndNoneBeforeBrace()
    {
        var flat = TestHocon.Flat("a = 1\nb : 2\nc { d = 3 }\ne: { f = 4 }");

        Assert.Equal("1", flat["a"]);
        Assert.Equal("2", flat["b"]);
        Assert.Equal("3", flat["c:d"]);
        Assert.Equal("4", flat["e:f"]);
    }

    [Fact]
    public void DottedKeysCreateNestedObjects()
    {
        var root = TestHocon.Parse("log.retention.hours = 168\nlog.retention.bytes = -1");

        var retention = Assert.IsType<HoconObject>(root.Find("log.retention"));
        Assert.Equal(["hours", "bytes"], retention.Keys);
        Assert.Equal("168", root.Scalar("log.retention.hours"));
    }

    [Fact]
    public void QuotedKeysKeepDots()
    {
        var root = TestHocon.Parse("\"a.b\".c = 1\n\"with space\" = 2\nx.\"\" = 3");

        Assert.Equal("1", root.Scalar("\"a.b\".c"));
        Assert.Equal("2", Assert.IsType<HoconScalar>(root["with space"]).Value);
        Assert.Equal("3", Assert.IsType<HoconScalar>(((HoconObject)root["x"])[""]).Value);
    }

    [Fact]
    public void ArraysWithCommasNewlinesAndNesting()
    {
        var flat = TestHocon.Flat("dirs = [ /a, /b\n  /c, ]\nnested = [[1, 2], { x = y }]\nempty = []");

        Assert.Equal("/a", flat["dirs:0"]);
        Assert.Equal("/b", flat["dirs:1"]);
        Assert.Equal("/c", flat["dirs:2"]);
        Assert.Equal("2", flat["nested:0:1"]);
        Assert.Equal("y", flat["nested:1:x"]);
        Assert.DoesNotContain("empty", flat.Keys);
    }

    [Fact]
    public void CommentsWithHashAndSlashes()
    {
        var flat = TestHocon.Flat("# heading\na = 1 // trailing\n// whole line\nb = 2 # trailing\nc = \"not # a comment\"");

        Assert.Equal(new Dictionary<string, string?> { ["a"] = "1", ["b"] = "2", ["c"] = "not # a comment" }, flat);
    }

    [Fact]
    public void UnquotedConcatenationKeepsInnerWhitespace()
    {
        var root = TestHocon.Parse("a = hello   world  \nb = 5 s\nc = foo\"bar\"baz\nd = \"x\" \"y\"");

        Assert.Equal("hello   world", root.Scalar("a"));
        Assert.Equal("5 s", root.Scalar("b"));
        Assert.Equal("foobarbaz", root.Scalar("c"));
        Assert.Equal("x y", root.Scalar("d"));
    }

    [Fact]
    public void QuotedStringEscapes()
    {
        var root = TestHocon.Parse("a = \"tab\\tnl\\nquote\\\" back\\\\ slash\\/ u\\u00e9\"");

        Assert.Equal("tab\tnl\nquote\" back\\ slash/ u\u00e9", root.Scalar("a"));
    }

    [Fact]
    public void TripleQuotedStringsAreRawAndMultiline()
    {
        var root = TestHocon.Parse("a = \"\"\"line1\n  \"quoted\" \\n raw\"\"\"\nb = \"\"\"x\"\"\"\"");

        Assert.Equal("line1\n  \"quoted\" \\n raw", root.Scalar("a"));
        Assert.Equal("x\"", root.Scalar("b"));
    }

    [Fact]
    public void ScalarKindsFollowTheLiteral()
    {
        var root = TestHocon.Parse("n = 42\nf = -1.5e3\nt = true\nz = null\ns = \"42\"\nu = 42ms");

        Assert.Equal(HoconScalarKind.Number, ((HoconScalar)root["n"]).Kind);
        Assert.Equal(HoconScalarKind.Number, ((HoconScalar)root["f"]).Kind);
        Assert.Equal(HoconScalarKind.Boolean, ((HoconScalar)root["t"]).Kind);
        Assert.Equal(HoconScalarKind.Null, ((HoconScalar)root["z"]).Kind);
        Assert.Null(((HoconScalar)root["z"]).Value);
        Assert.Equal(HoconScalarKind.String, ((HoconScalar)root["s"]).Kind);
        Assert.Equal(HoconScalarKind.String, ((HoconScalar)root["u"]).Kind);
    }

    [Fact]
    public void CommasSeparateFieldsOnOneLine()
    {
        var flat = TestHocon.Flat("a = 1, b = 2\nc { x = 1, y = 2 }");

        Assert.Equal("2", flat["b"]);
        Assert.Equal("2", flat["c:y"]);
    }

    [Fact]
    public void ValuesCarryTheirSourcePosition()
    {
        var root = TestHocon.Parse("a = 1\n\n  b {\n    c = x\n  }", "conf/x.conf");

        Assert.Equal(new HoconSource("conf/x.conf", 4, 9), root.Find("b.c")!.Source);
        Assert.Equal(new HoconSource("conf/x.conf", 1, 5), root["a"].Source);
    }

    [Fact]
    public void KeysMayContainSpacesAsInTheSpec()
    {
        Assert.Equal("1", TestHocon.Flat("a b  c = 1")["a b  c"]);
    }

    [Fact]
    public void KeyNamedIncludeIsStillAKey()
    {
        Assert.Equal("1", TestHocon.Flat("include = 1")["include"]);
    }
}
