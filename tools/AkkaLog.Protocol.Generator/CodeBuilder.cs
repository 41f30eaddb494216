using System.Text;

namespace AkkaLog.Protocol.Generator;

/// <summary>Accumulates C# source with indentation; lines end in "\n" on every platform.</summary>
public sealed class CodeBuilder
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
    }

    public void Open(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    /// <summary>
    /// Emits <paramref name="whenTrue"/> under <paramref name="condition"/>, or inline when the
    /// condition is the literal "true" (and <paramref name="whenFalse"/> for "false").
    /// </summary>
    public void Branch(string condition, Action whenTrue, Action? whenFalse = null)
    {
        switch (condition)
        {
            case "true":
                whenTrue();
                return;
            case "false":
                whenFalse?.Invoke();
                return;
        }

        Open($"if ({condition})");
        whenTrue();
        Close();
        if (whenFalse is not null)
        {
            Open("else");
            whenFalse();
            Close();
        }
    }

    public override string ToString() => _text.ToString();
}
