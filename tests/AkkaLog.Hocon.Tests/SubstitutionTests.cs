namespace AkkaLog.Hocon.Tests;

public sealed class SubstitutionTests
{
    [Fact]
    public void SubstitutionSeesTheWholeMergedTreeIncludingLaterDefinitions()
    {
        var root = TestHocon.Parse("""
            data = ${base.dir}"/data"
            base.dir = /var/lib
            base.dir = /srv
            port = ${listener.port}
            listener { port = 9092 }
            """);

        Assert.Equal("/srv/data", root.Scalar("data"));
        Assert.Equal("9092", root.Scalar("port"));
        Assert.Equal(HoconScalarKind.Number, ((HoconScalar)root["port"]).Kind);
    }

    [Fact]
    public void FallsBackToEnvironmentVariables()
    {
        var root = TestHocon.Parse("home = ${AKKALOG_TEST_HOME}\nport = 9092\nport = ${?AKKALOG_TEST_PORT}\nx = 1\nx = ${?AKKALOG_MISSING}");

        Assert.Equal("/home/broker", root.Scalar("home"));
        Assert.Equal("19092", root.Scalar("port"));
        Assert.Equal("1", root.Scalar("x"));
    }

    [Fact]
    public void TreeWinsOverEnvironment()
    {
        Assert.Equal("mine", TestHocon.Parse("AKKALOG_TEST_HOME = mine\nh = ${AKKALOG_TEST_HOME}").Scalar("h"));
    }

    [Fact]
    public void OptionalMissingRemovesFieldItemOrPiece()
    {
        var flat = TestHocon.Flat("a = ${?NOPE}\nb = [1, ${?NOPE}, 3]\nc = x${?NOPE}y");

        Assert.DoesNotContain("a", flat.Keys);
        Assert.Equal("3", flat["b:1"]);
        Assert.Equal("xy", flat["c"]);
    }

    [Fact]
    public void MissingRequiredSubstitutionReportsFileLineAndKey()
    {
        var ex = TestHocon.Fails("a = 1\nlog {\n  dirs = ${missing.path}\n}", "hocon/node.conf");

        Assert.Equal(new HoconSource("hocon/node.conf", 3, 10), ex.Position);
        Assert.Equal("log.dirs", ex.Key);
        Assert.StartsWith("hocon/node.conf:3:10: could not resolve substitution ${missing.path}", ex.Message);
        Assert.Contains("'log.dirs'", ex.Message);
    }

    [Fact]
    public void SelfReferenceAppendsToEarlierValue()
    {
        var root = TestHocon.Parse("path = /bin\npath = ${path}\":/x\"\npath = ${path}\":/y\"\nPATH = ${PATH}\":/opt\"\nopt = ${?opt} extra");

        Assert.Equal("/bin:/x:/y", root.Scalar("path"));
        Assert.Equal("/usr/bin:/opt", root.Scalar("PATH")); // no earlier value: the environment
        Assert.Equal("extra", root.Scalar("opt"));
    }

    [Fact]
    public void SelfReferenceWithoutAnyValueFails()
    {
        var ex = TestHocon.Fails("x = ${x}\"a\"", "s.conf");

        Assert.StartsWith("s.conf:1:5:", ex.Message);
        Assert.Equal("x", ex.Key);
    }

    [Fact]
    public void PlusEqualsAppendsToArrays()
    {
        var flat = TestHocon.Flat("dirs += /a\ndirs += /b\nlist = [1]\nlist += 2");

        Assert.Equal("/a", flat["dirs:0"]);
        Assert.Equal("/b", flat["dirs:1"]);
        Assert.Equal("2", flat["list:1"]);
    }

    [Fact]
    public void PlusEqualsOnScalarFails()
    {
        Assert.Contains("'+=' needs an array", TestHocon.Fails("a = 1\na += 2").Message);
    }

    [Fact]
    public void ObjectSubstitutionInheritsAndOverrides()
    {
        var flat = TestHocon.Flat("""
            defaults { retention = 7d, segment = 1g }
            topic = ${defaults} { segment = 512m }
            other = ${defaults}
            other.retention = 1d
            """);

        Assert.Equal("7d", flat["topic:retention"]);
        Assert.Equal("512m", flat["topic:segment"]);
        Assert.Equal("1d", flat["other:retention"]);
        Assert.Equal("1g", flat["other:segment"]);
        Assert.Equal("7d", flat["defaults:retention"]); // the source object is not modified
    }

    [Fact]
    public void ArraySubstitutionConcatenates()
    {
        var flat = TestHocon.Flat("a = [1, 2]\nb = ${a} [3]");

        Assert.Equal(new[] { "1", "2", "3" }, new[] { flat["b:0"], flat["b:1"], flat["b:2"] });
    }

    [Fact]
    public void CyclesAreReported()
    {
        var ex = TestHocon.Fails("a = ${b}\nb = ${a}", "c.conf");

        Assert.Contains("cycle", ex.Message);
        Assert.StartsWith("c.conf:", ex.Message);
    }

    [Fact]
    public void MixingObjectAndStringFails()
    {
        var ex = TestHocon.Fails("o { x = 1 }\ns = ${o} text");

        Assert.Contains("cannot concatenate an object", ex.Message);
        Assert.Equal("s", ex.Key);
    }

    [Fact]
    public void QuotedSubstitutionPath()
    {
        Assert.Equal("1", TestHocon.Parse("\"a.b\" { c = 1 }\nx = ${\"a.b\".c}").Scalar("x"));
    }

    [Fact]
    public void SubstitutedScalarReportsWhereTheReferenceWasWritten()
    {
        var root = TestHocon.Parse("a = 1\nb = ${a}", "p.conf");

        Assert.Equal(new HoconSource("p.conf", 2, 5), root["b"].Source);
    }
}
