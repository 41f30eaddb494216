namespace AkkaLog.Hocon.Tests;

public sealed class ErrorTests
{
    private const string File = "hocon/single-node.conf";

    [Fact]
    public void MissingSeparatorNamesFileLineColumnAndKey()
    {
        var text = string.Concat(Enumerable.Repeat("a = 1\n", 11)) + "log.dirs \"x\"";

        var ex = TestHocon.Fails(text, File);

        Assert.Equal("hocon/single-node.conf:12:10: expected '=' or ':' after key 'log.dirs'", ex.Message);
        Assert.Equal("log.dirs", ex.Key);
        Assert.Equal(new HoconSource(File, 12, 10), ex.Position);
        Assert.Equal("hocon/single-node.conf:1:7: expected '=' or ':' after key 'a.b'", TestHocon.Fails("a.b   \n= 1", File).Message);
    }

    [Fact]
    public void NestedKeyIsReportedWithItsFullPath()
    {
        var ex = TestHocon.Fails("log {\n  retention {\n    hours 5\n  }\n}", File);

        Assert.Equal("hocon/single-node.conf:3:11: expected '=' or ':' after key 'log.retention.hours'", ex.Message);
    }

    [Fact]
    public void UnterminatedStringNamesTheKey()
    {
        var ex = TestHocon.Fails("a = 1\nname = \"oops\nb = 2", File);

        Assert.StartsWith("hocon/single-node.conf:2:8: unterminated quoted string", ex.Message);
        Assert.Contains("'name'", ex.Message);
    }

    [Fact]
    public void MissingValue()
    {
        var ex = TestHocon.Fails("a =\nb = 1", File);

        Assert.Equal("hocon/single-node.conf:1:4: expected a value for key 'a' but found end of line", ex.Message);
    }

    [Fact]
    public void UnclosedObjectAndArray()
    {
        Assert.Contains("expected '}' to close the object opened at line 1", TestHocon.Fails("a {\n b = 1\n", File).Message);
        Assert.Contains("expected ']' to close the array of key 'a'", TestHocon.Fails("a = [1,\n 2", File).Message);
    }

    [Fact]
    public void StrayClosingBrace()
    {
        Assert.Equal("hocon/single-node.conf:2:1: unexpected '}'", TestHocon.Fails("a = 1\n}", File).Message);
    }

    [Fact]
    public void ForbiddenCharacterInUnquotedValueSuggestsQuoting()
    {
        var ex = TestHocon.Fails("listener = \"PLAINTEXT://0.0.0.0:9092\"\nhost = localhost:9092", File);

        Assert.Equal("hocon/single-node.conf:2:17: unexpected ':' in the value of key 'host'; put the value in double quotes", ex.Message);
    }

    [Fact]
    public void BadEscape()
    {
        Assert.StartsWith("<string>:1:8: invalid escape '\\q'", TestHocon.Fails("a = \"x \\q\"").Message);
    }

    [Fact]
    public void TextAfterObjectValue()
    {
        var ex = TestHocon.Fails("a { b = 1 } c", File);

        Assert.Equal("hocon/single-node.conf:1:13: cannot concatenate an object with 'c' in the value of key 'a'", ex.Message);
    }

    [Fact]
    public void GarbageAfterArrayInArray()
    {
        var ex = TestHocon.Fails("a = [1 }", File);

        Assert.Equal("hocon/single-node.conf:1:8: expected ',' or ']' in the array of key 'a' but found '}'", ex.Message);
    }

    [Fact]
    public void EmptyPathElementInKey()
    {
        Assert.Contains("invalid key 'a..b'", TestHocon.Fails("a..b = 1").Message);
    }
}
