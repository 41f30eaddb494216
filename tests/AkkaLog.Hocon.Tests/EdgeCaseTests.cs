namespace AkkaLog.Hocon.Tests;

public sealed class EdgeCaseTests
{
    [Fact]
    public void CrLfLineEndingsAndByteOrderMark()
    {
        var flat = TestHocon.Flat("\uFEFFa = 1\r\nb = hello world\r\nc = [1,\r\n 2]\r\n");

        Assert.Equal("1", flat["a"]);
        Assert.Equal("hello world", flat["b"]);
        Assert.Equal("2", flat["c:1"]);
    }

    [Fact]
    public void CommentsInsideArraysAndObjects()
    {
        var flat = TestHocon.Flat("a = [ # first\n 1, // one\n 2 ]\nb { # open\n x = 1 # x\n}");

        Assert.Equal("2", flat["a:1"]);
        Assert.Equal("1", flat["b:x"]);
    }

    [Fact]
    public void UndefinedOptionalSubstitutionKeepsEarlierObject()
    {
        var flat = TestHocon.Flat("tls { enabled = false }\ntls = ${?AKKALOG_NO_SUCH_VAR}");

        Assert.Equal("false", flat["tls:enabled"]);
    }

    [Fact]
    public void ObjectAfterSubstitutionMergesOntoItsResult()
    {
        var flat = TestHocon.Flat("base { a = 1, b = 2 }\nx = ${base}\nx { b = 3 }");

        Assert.Equal("1", flat["x:a"]);
        Assert.Equal("3", flat["x:b"]);
    }

    [Fact]
    public void ScalarAfterSubstitutionWins()
    {
        Assert.Equal("5", TestHocon.Parse("base { a = 1 }\nx = ${base}\nx = 5").Scalar("x"));
    }

    [Fact]
    public void RealisticBrokerConfig()
    {
        var flat = TestHocon.Flat("""
            # AkkaLog single node
            akkalog {
              node.id = 1
              listeners = ["PLAINTEXT://0.0.0.0:9092"]
              advertised.host = ${?AKKALOG_TEST_HOME}
              log {
                dirs = [${akkalog.data-root}"/log"]
                segment.bytes = 1GiB
                retention { hours = 168, check.interval = 5 minutes }
              }
              data-root = /var/lib/akkalog
            }
            akkalog.log.retention.hours = 24
            """);

        Assert.Equal("1", flat["akkalog:node:id"]);
        Assert.Equal("PLAINTEXT://0.0.0.0:9092", flat["akkalog:listeners:0"]);
        Assert.Equal("/home/broker", flat["akkalog:advertised:host"]);
        Assert.Equal("/var/lib/akkalog/log", flat["akkalog:log:dirs:0"]);
        Assert.Equal(1L << 30, HoconUnits.ParseSize(flat["akkalog:log:segment:bytes"]!));
        Assert.Equal("24", flat["akkalog:log:retention:hours"]);
        Assert.Equal(TimeSpan.FromMinutes(5), HoconUnits.ParseDuration(flat["akkalog:log:retention:check:interval"]!));
    }
}
