using System.Text.RegularExpressions;

namespace AkkaLog.Hocon.Internal;

/// <summary>Values: scalars, objects, arrays, concatenations, self-references and <c>+=</c>.</summary>
internal sealed partial class HoconDocumentParser
{
    /// <summary>
    /// Parses a value up to the end of line, ',', '}' or ']'. Adjacent pieces on one line form a
    /// concatenation: <c>hello world</c> is one string, whitespace between pieces included.
    /// </summary>
    private HoconValue ParseValue(IReadOnlyList<string> path, string key)
    {
        var parts = new List<HoconValue>();
        while (ParsePart(path, key) is { } part)
        {
            if (part is not HoconScalar { IsWhitespace: true } || parts.Count > 0)
            {
                parts.Add(part);
            }
        }

        while (parts.Count > 0 && parts[^1] is HoconScalar { IsWhitespace: true })
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count == 0)
        {
            var token = Peek();
            throw Error(token, $"expected a value for key '{key}' but found {token.Describe()}", key);
        }

        if (parts.Count == 1)
        {
            return parts[0];
        }

        if (parts.TrueForAll(p => p is HoconScalar))
        {
            var text = string.Concat(parts.Select(p => ((HoconScalar)p).Value ?? "null"));
            return new HoconScalar(text, HoconScalarKind.String, parts[0].Source);
        }

        // Literal text next to an object or array can never resolve; say so at the text.
        if (parts.Find(p => p is HoconObject or HoconArray) is { } container
            && parts.Find(p => p is HoconScalar { IsWhitespace: false }) is HoconScalar literal)
        {
            var what = container is HoconObject ? "an object" : "an array";
            throw new HoconException(literal.Source, $"cannot concatenate {what} with '{literal.Value}' in the value of key '{key}'", key);
        }

        return new HoconConcatenation(parts, parts[0].Source);
    }

    /// <summary>Parses one piece of a value; null at a token that ends the value.</summary>
    private HoconValue? ParsePart(IReadOnlyList<string> path, string key)
    {
        var token = Peek();
        switch (token.Kind)
        {
            case HoconTokenKind.Whitespace:
                Next();
                return new HoconScalar(token.Text, HoconScalarKind.String, Source(token)) { IsWhitespace = true };
            case HoconTokenKind.Unquoted:
                Next();
                return new HoconScalar(token.Text, Classify(token.Text), Source(token));
            case HoconTokenKind.Quoted:
                Next();
                return new HoconScalar(token.Text, HoconScalarKind.String, Source(token));
            case HoconTokenKind.Substitution:
                Next();
                return new HoconSubstitution(token.Path!, token.Optional, Source(token));
            case HoconTokenKind.LeftBrace:
                return ParseObject(path);
            case HoconTokenKind.LeftBracket:
                return ParseArray(path, key);
            case HoconTokenKind.Separator or HoconTokenKind.PlusEquals:
                throw Error(token, $"unexpected {token.Describe()} in the value of key '{key}'; put the value in double quotes", key);
            case HoconTokenKind.Error:
                throw Error(token, token.Text, key);
            default:
                return null;
        }
    }

    private HoconObject ParseObject(IReadOnlyList<string> path)
    {
        var open = Next();
        var obj = new HoconObject(Source(open));
        ParseFields(obj, path, HoconTokenKind.RightBrace, open);
        Next();
        return obj;
    }

    private HoconArray ParseArray(IReadOnlyList<string> path, string key)
    {
        var open = Next();
        var items = new List<HoconValue>();
        while (true)
        {
            SkipBlank();
            var token = Peek();
            if (token.Kind == HoconTokenKind.RightBracket)
            {
                Next();
                return new HoconArray(items, Source(open));
            }

            if (token.Kind == HoconTokenKind.End)
            {
                throw Error(token, $"expected ']' to close the array of key '{key}' opened at line {open.Line}", key);
            }

            // Objects inside an array get a path no real key has, so self-reference lookups miss.
            var index = items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            items.Add(ParseValue([.. path, "[" + index + "]"], $"{key}[{index}]"));
            SkipWhitespace();
            token = Peek();
            if (token.Kind is HoconTokenKind.Comma or HoconTokenKind.Newline)
            {
                Next();
            }
            else if (token.Kind == HoconTokenKind.End)
            {
                throw Error(token, $"expected ']' to close the array of key '{key}' opened at line {open.Line}", key);
            }
            else if (token.Kind != HoconTokenKind.RightBracket)
            {
                throw Error(token, $"expected ',' or ']' in the array of key '{key}' but found {token.Describe()}", key);
            }
        }
    }

    /// <summary>
    /// Replaces <c>${path}</c> inside the value of <c>path</c> itself with the earlier value
    /// (<c>path = ${path}":/x"</c>), falling back to the environment. Returns null when an
    /// optional self-reference leaves nothing.
    /// </summary>
    private HoconValue? ReplaceSelfReferences(HoconValue value, IReadOnlyList<string> path, HoconValue? previous, string key)
    {
        if (value is HoconSubstitution substitution && HoconPath.SequenceEquals(substitution.Path, path))
        {
            return SelfValue(substitution, previous, key);
        }

        if (value is not HoconConcatenation concatenation)
        {
            return value;
        }

        var parts = new List<HoconValue>(concatenation.Parts.Count);
        foreach (var part in concatenation.Parts)
        {
            var replaced = part is HoconSubstitution s && HoconPath.SequenceEquals(s.Path, path) ? SelfValue(s, previous, key) : part;
            if (replaced is not null)
            {
                parts.Add(replaced);
            }
        }

        // Whitespace next to a dropped ${?path} would otherwise end up in the string.
        while (parts.Count > 0 && parts[0] is HoconScalar { IsWhitespace: true })
        {
            parts.RemoveAt(0);
        }

        while (parts.Count > 0 && parts[^1] is HoconScalar { IsWhitespace: true })
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return parts.Count > 0 ? new HoconConcatenation(parts, concatenation.Source) : null;
    }

    private HoconValue? SelfValue(HoconSubstitution substitution, HoconValue? previous, string key)
    {
        if (previous is not null)
        {
            return previous;
        }

        if (_context.Environment(HoconPath.Render(substitution.Path)) is { } variable)
        {
            return new HoconScalar(variable, HoconScalarKind.String, substitution.Source);
        }

        return substitution.Optional
            ? null
            : throw new HoconException(
                substitution.Source,
                $"substitution {substitution.Expression} refers to key '{key}' itself, which has no earlier value",
                key);
    }

    /// <summary><c>key += value</c> is <c>key = ${?key} [value]</c>.</summary>
    private HoconValue? Append(HoconValue? previous, HoconValue? item, HoconSource source, string key)
    {
        if (item is null)
        {
            return null;
        }

        return previous switch
        {
            null => new HoconArray([item], source),
            HoconArray array => new HoconArray([.. array, item], array.Source),
            _ when HoconTreeBuilder.IsUnresolved(previous) => new HoconConcatenation([previous, new HoconArray([item], source)], source),
            _ => throw new HoconException(source, $"'+=' needs an array but key '{key}' already holds a non-array value", key),
        };
    }

    private static HoconScalarKind Classify(string text) => text switch
    {
        "true" or "false" => HoconScalarKind.Boolean,
        "null" => HoconScalarKind.Null,
        _ when NumberPattern().IsMatch(text) => HoconScalarKind.Number,
        _ => HoconScalarKind.String,
    };

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE]-?[0-9]+)?$")]
    private static partial Regex NumberPattern();
}
