using System.Globalization;
using System.Text;

namespace AkkaLog.Hocon.Internal;

/// <summary>
/// Splits HOCON text into tokens. Lexical errors become an <see cref="HoconTokenKind.Error"/> token
/// (and end the stream) so that the parser can report them together with the key it is parsing.
/// </summary>
internal sealed class HoconTokenizer
{
    // Characters HOCON forbids in unquoted text (besides whitespace and the "//" comment start).
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly List<HoconToken> _tokens = [];
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private HoconTokenizer(string text) => _text = text;

    public static List<HoconToken> Tokenize(string text)
    {
        var tokenizer = new HoconTokenizer(text);
        tokenizer.Run();
        return tokenizer._tokens;
    }

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    private void Run()
    {
        while (!AtEnd)
        {
            var (line, column) = (_line, _column);
            var c = Peek();
            if (c == '\n')
            {
                Advance(1);
                Add(HoconTokenKind.Newline, "\n", line, column);
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (!AtEnd && Peek() != '\n')
                {
                    Advance(1);
                }
            }
            else if (IsWhitespace(c))
            {
                var start = _pos;
                while (!AtEnd && IsWhitespace(Peek()))
                {
                    Advance(1);
                }

                Add(HoconTokenKind.Whitespace, _text[start.._pos], line, column);
            }
            else if (!ReadPunctuation(c, line, column) && !ReadString(c, line, column) && !ReadSubstitution(c, line, column))
            {
                if (Forbidden.Contains(c))
                {
                    Fail($"'{c}' is not allowed in unquoted text; put the value in double quotes", line, column);
                    return;
                }

                ReadUnquoted(line, column);
            }

            if (_tokens.Count > 0 && _tokens[^1].Kind == HoconTokenKind.Error)
            {
                return;
            }
        }

        Add(HoconTokenKind.End, "", _line, _column);
    }

    private bool ReadPunctuation(char c, int line, int column)
    {
        HoconTokenKind? kind = c switch
        {
            '{' => HoconTokenKind.LeftBrace,
            '}' => HoconTokenKind.RightBrace,
            '[' => HoconTokenKind.LeftBracket,
            ']' => HoconTokenKind.RightBracket,
            ',' => HoconTokenKind.Comma,
            '=' or ':' => HoconTokenKind.Separator,
            '+' when Peek(1) == '=' => HoconTokenKind.PlusEquals,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        var length = kind == HoconTokenKind.PlusEquals ? 2 : 1;
        Add(kind.Value, _text.Substring(_pos, length), line, column);
        Advance(length);
        return true;
    }

    private bool ReadString(char c, int line, int column)
    {
        if (c != '"')
        {
            return false;
        }

        if (Peek(1) == '"' && Peek(2) == '"')
        {
            ReadTripleQuoted(line, column);
        }
        else
        {
            ReadQuoted(line, column);
        }

        return true;
    }

    private void ReadQuoted(int line, int column)
    {
        Advance(1);
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek() == '\n')
            {
                Fail("unterminated quoted string", line, column);
                return;
            }

            var c = Peek();
            if (c == '"')
            {
                Advance(1);
                Add(HoconTokenKind.Quoted, sb.ToString(), line, column);
                return;
            }

            if (c != '\\')
            {
                sb.Append(c);
                Advance(1);
                continue;
            }

            var (escLine, escColumn) = (_line, _column);
            var e = Peek(1);
            Advance(2);
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u' when _pos + 4 <= _text.Length
                    && ushort.TryParse(_text.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    sb.Append((char)code);
                    Advance(4);
                    break;
                default:
                    Fail($"invalid escape '\\{e}' in quoted string", escLine, escColumn);
                    return;
            }
        }
    }

    private void ReadTripleQuoted(int line, int column)
    {
        Advance(3);
        var start = _pos;
        var end = _text.IndexOf("\"\"\"", _pos, StringComparison.Ordinal);
        if (end < 0)
        {
            Fail("unterminated triple-quoted string", line, column);
            return;
        }

        // Quotes right before the closing three belong to the string ("""a"""" is a").
        while (end + 3 < _text.Length && _text[end + 3] == '"')
        {
            end++;
        }

        Advance(end - start);
        Advance(3);
        Add(HoconTokenKind.Quoted, _text[start..end], line, column);
    }

    private bool ReadSubstitution(char c, int line, int column)
    {
        if (c != '$' || Peek(1) != '{')
        {
            return false;
        }

        var close = _text.IndexOf('}', _pos);
        var newline = _text.IndexOf('\n', _pos);
        if (close < 0 || (newline >= 0 && newline < close))
        {
            Fail("unterminated substitution; expected '}'", line, column);
            return true;
        }

        var raw = _text[_pos..(close + 1)];
        var optional = raw.StartsWith("${?", StringComparison.Ordinal);
        var expression = raw[(optional ? 3 : 2)..^1];
        Advance(raw.Length);
        if (!HoconPath.TryParse(expression, out var path, out var error))
        {
            Fail($"invalid substitution {raw}: {error}", line, column);
            return true;
        }

        _tokens.Add(new HoconToken(HoconTokenKind.Substitution, raw, line, column, path, optional));
        return true;
    }

    private void ReadUnquoted(int line, int column)
    {
        var start = _pos;
        while (!AtEnd)
        {
            var c = Peek();
            if (IsWhitespace(c) || c == '\n' || Forbidden.Contains(c) || (c == '/' && Peek(1) == '/'))
            {
                break;
            }

            Advance(1);
        }

        Add(HoconTokenKind.Unquoted, _text[start.._pos], line, column);
    }

    private static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private void Advance(int count)
    {
        for (var i = 0; i < count && _pos < _text.Length; i++)
        {
            if (_text[_pos] == '\n')
            {
                _line++;
                _column = 1;
            }
            else
            {
                _column++;
            }

            _pos++;
        }
    }

    private void Add(HoconTokenKind kind, string text, int line, int column) =>
        _tokens.Add(new HoconToken(kind, text, line, column));

    private void Fail(string message, int line, int column) =>
        _tokens.Add(new HoconToken(HoconTokenKind.Error, message, line, column));
}
