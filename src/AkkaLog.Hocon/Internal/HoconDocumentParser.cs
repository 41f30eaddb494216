using System.Text;

namespace AkkaLog.Hocon.Internal;

/// <summary>
/// Recursive-descent parser for one HOCON file (or string). Fields are written straight into
/// the target object, so an include parsed by a nested parser merges exactly where it appears.
/// Split by concern: values in HoconDocumentParser.Values.cs, includes in HoconDocumentParser.Include.cs.
/// </summary>
internal sealed partial class HoconDocumentParser
{
    private readonly List<HoconToken> _tokens;
    private readonly string? _file;
    private readonly HoconParseContext _context;
    private int _index;

    public HoconDocumentParser(string text, string? file, HoconParseContext context)
        : this(HoconTokenizer.Tokenize(text), file, context)
    {
    }

    private HoconDocumentParser(List<HoconToken> tokens, string? file, HoconParseContext context)
    {
        _tokens = tokens;
        _file = file;
        _context = context;
    }

    /// <summary>Parses the whole document into <paramref name="target"/>, whose path from the root is <paramref name="prefix"/>.</summary>
    public void ParseInto(HoconObject target, IReadOnlyList<string> prefix)
    {
        SkipBlank();
        if (Peek().Kind == HoconTokenKind.LeftBrace)
        {
            var open = Next();
            ParseFields(target, prefix, HoconTokenKind.RightBrace, open);
            Next();
            SkipBlank();
        }
        else
        {
            ParseFields(target, prefix, HoconTokenKind.End, null);
        }

        var end = Peek();
        if (end.Kind != HoconTokenKind.End)
        {
            throw Error(end, $"unexpected {end.Describe()} after the root object", null);
        }
    }

    /// <summary>Parses fields until <paramref name="closing"/> (not consumed).</summary>
    private void ParseFields(HoconObject target, IReadOnlyList<string> prefix, HoconTokenKind closing, HoconToken? open)
    {
        var context = prefix.Count > 0 ? HoconPath.Render(prefix) : null;
        while (true)
        {
            SkipBlank(alsoCommas: true);
            var token = Peek();
            if (token.Kind == closing)
            {
                return;
            }

            if (token.Kind == HoconTokenKind.End && open is { } o)
            {
                throw Error(token, $"expected '}}' to close the object opened at line {o.Line}", context);
            }

            if (token.Kind is HoconTokenKind.RightBrace or HoconTokenKind.RightBracket)
            {
                throw Error(token, $"unexpected {token.Describe()}", context);
            }

            string key;
            if (IsInclude())
            {
                ParseInclude(target, prefix);
                key = "include";
            }
            else
            {
                key = ParseField(target, prefix);
            }

            ExpectFieldEnd(closing, key);
        }
    }

    /// <summary>Parses <c>key = value</c>, <c>key { ... }</c> or <c>key += value</c>; returns the full key for messages.</summary>
    private string ParseField(HoconObject target, IReadOnlyList<string> prefix)
    {
        var keyToken = Peek();
        var keyStart = _index;
        var keys = ParseKey(prefix);
        var path = prefix.Concat(keys).ToArray();
        var key = HoconPath.Render(path);
        SkipWhitespace();
        var separator = Peek();
        var append = separator.Kind == HoconTokenKind.PlusEquals;
        if (separator.Kind is HoconTokenKind.Separator or HoconTokenKind.PlusEquals)
        {
            Next();
            SkipWhitespace();
        }
        else if (separator.Kind != HoconTokenKind.LeftBrace)
        {
            throw MissingSeparator(separator, keyStart, prefix, key);
        }

        var source = Source(keyToken);
        var previous = HoconTreeBuilder.Lookup(target, keys) ?? HoconTreeBuilder.Lookup(_context.Root, path);
        var value = ParseValue(path, key);
        value = value is null ? null : ReplaceSelfReferences(value, path, previous, key);
        if (append)
        {
            value = Append(previous, value, source, key);
        }

        if (value is not null)
        {
            HoconTreeBuilder.Set(target, keys, value, source);
        }

        return key;
    }

    /// <summary>
    /// A key is unquoted and quoted pieces (with whitespace between them kept); unquoted dots split it
    /// into nested objects: <c>log.retention.hours</c>, <c>"a.b".c</c>.
    /// </summary>
    private List<string> ParseKey(IReadOnlyList<string> prefix)
    {
        var first = Peek();
        if (first.Kind is not (HoconTokenKind.Unquoted or HoconTokenKind.Quoted))
        {
            var where = prefix.Count > 0 ? $" in object '{HoconPath.Render(prefix)}'" : "";
            throw Error(first, $"expected a key but found {first.Describe()}{where}", prefix.Count > 0 ? HoconPath.Render(prefix) : null);
        }

        var segments = new List<string>();
        var current = new StringBuilder();
        var hasContent = false;
        var raw = new StringBuilder();
        while (true)
        {
            var token = Peek();
            if (token.Kind == HoconTokenKind.Whitespace && Peek(1).Kind is HoconTokenKind.Unquoted or HoconTokenKind.Quoted)
            {
                current.Append(token.Text);
            }
            else if (token.Kind == HoconTokenKind.Quoted)
            {
                current.Append(token.Text);
                hasContent = true;
            }
            else if (token.Kind == HoconTokenKind.Unquoted)
            {
                foreach (var c in token.Text)
                {
                    if (c != '.')
                    {
                        current.Append(c);
                        hasContent = true;
                        continue;
                    }

                    if (!hasContent)
                    {
                        throw Error(first, $"invalid key '{raw}{token.Text}': empty path element", raw + token.Text);
                    }

                    segments.Add(current.ToString());
                    current.Clear();
                    hasContent = false;
                }
            }
            else
            {
                break;
            }

            raw.Append(token.Kind == HoconTokenKind.Quoted ? $"\"{token.Text}\"" : token.Text);
            Next();
        }

        if (!hasContent)
        {
            throw Error(first, $"invalid key '{raw}': empty path element", raw.ToString());
        }

        segments.Add(current.ToString());
        return segments;
    }

    /// <summary>
    /// HOCON allows spaces inside keys, so <c>log.dirs "/x"</c> parses as the key <c>log."dirs /x"</c>.
    /// A missing '=' is the likelier mistake: report it at the first gap, after the key before it.
    /// </summary>
    private HoconException MissingSeparator(HoconToken found, int keyStart, IReadOnlyList<string> prefix, string key)
    {
        for (var i = keyStart; i < _index; i++)
        {
            if (_tokens[i].Kind == HoconTokenKind.Whitespace)
            {
                var head = _tokens.GetRange(keyStart, i - keyStart);
                head.Add(new HoconToken(HoconTokenKind.End, "", _tokens[i].Line, _tokens[i].Column));
                var beforeGap = new HoconDocumentParser(head, _file, _context).ParseKey([]);
                var shortKey = HoconPath.Render(prefix.Concat(beforeGap));
                return Error(_tokens[i + 1], $"expected '=' or ':' after key '{shortKey}'", shortKey);
            }
        }

        return Error(found, $"expected '=' or ':' after key '{key}'", key);
    }

    private void ExpectFieldEnd(HoconTokenKind closing, string key)
    {
        SkipWhitespace();
        var token = Peek();
        if (token.Kind is HoconTokenKind.Newline or HoconTokenKind.Comma)
        {
            Next();
        }
        else if (token.Kind != closing)
        {
            throw Error(token, $"expected end of line or ',' after the value of key '{key}' but found {token.Describe()}", key);
        }
    }

    private HoconToken Peek(int ahead = 0) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private HoconToken Next()
    {
        var token = Peek();
        if (token.Kind is not (HoconTokenKind.End or HoconTokenKind.Error))
        {
            _index++;
        }

        return token;
    }

    private void SkipWhitespace()
    {
        while (Peek().Kind == HoconTokenKind.Whitespace)
        {
            _index++;
        }
    }

    private void SkipBlank(bool alsoCommas = false)
    {
        while (Peek().Kind is HoconTokenKind.Whitespace or HoconTokenKind.Newline
            || (alsoCommas && Peek().Kind == HoconTokenKind.Comma))
        {
            _index++;
        }
    }

    private HoconSource Source(HoconToken token) => new(_file, token.Line, token.Column);

    /// <summary>Builds the error for <paramref name="token"/>; a lexical error token carries its own message.</summary>
    private HoconException Error(HoconToken token, string message, string? key)
    {
        if (token.Kind == HoconTokenKind.Error)
        {
            message = key is null ? token.Text : $"{token.Text} (in key '{key}')";
        }

        return new HoconException(Source(token), message, key);
    }
}
