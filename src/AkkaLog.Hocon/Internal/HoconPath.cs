using System.Text;

namespace AkkaLog.Hocon.Internal;

/// <summary>
/// HOCON path expressions (<c>a.b."c.d"</c>): parsing into segments and rendering for messages.
/// Unquoted dots separate segments; quoted text is taken literally.
/// </summary>
internal static class HoconPath
{
    public static IReadOnlyList<string> Parse(string expression) =>
        TryParse(expression, out var segments, out var error) ? segments : throw new FormatException(error);

    public static bool TryParse(string expression, out List<string> segments, out string error)
    {
        segments = [];
        error = "";
        var current = new StringBuilder();
        var hasContent = false;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '"')
            {
                var end = expression.IndexOf('"', i + 1);
                if (end < 0)
                {
                    error = $"unterminated quote in path '{expression}'";
                    return false;
                }

                current.Append(expression, i + 1, end - i - 1);
                hasContent = true;
                i = end;
            }
            else if (c == '.')
            {
                if (!hasContent)
                {
                    error = $"empty path element in '{expression}'";
                    return false;
                }

                segments.Add(current.ToString());
                current.Clear();
                hasContent = false;
            }
            else if (char.IsWhiteSpace(c))
            {
                error = $"whitespace in path '{expression}' must be quoted";
                return false;
            }
            else
            {
                current.Append(c);
                hasContent = true;
            }
        }

        if (!hasContent)
        {
            error = $"empty path element in '{expression}'";
            return false;
        }

        segments.Add(current.ToString());
        return true;
    }

    /// <summary>Renders segments as a path, quoting those that would not read back as one segment.</summary>
    public static string Render(IEnumerable<string> segments) =>
        string.Join('.', segments.Select(s => s.Length == 0 || s.Any(c => c is '.' or '"' || char.IsWhiteSpace(c)) ? $"\"{s}\"" : s));

    public static bool SequenceEquals(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
