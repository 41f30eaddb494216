namespace AkkaLog.Hocon.Internal;

/// <summary>
/// <c>include "f.conf"</c>, <c>include file("f.conf")</c>, <c>include required("f.conf")</c> and
/// <c>include required(file("f.conf"))</c>. Paths are relative to the including file's directory.
/// As in the HOCON spec, a missing file is ignored unless <c>required(...)</c> is used.
/// </summary>
internal sealed partial class HoconDocumentParser
{
    private static readonly string[] IncludeOpeners = ["file(", "required(", "url(", "classpath("];

    /// <summary>True at <c>include</c> followed by a file name, rather than at a key named include.</summary>
    private bool IsInclude()
    {
        var keyword = Peek();
        if (keyword.Kind != HoconTokenKind.Unquoted || keyword.Text != "include" || Peek(1).Kind != HoconTokenKind.Whitespace)
        {
            return false;
        }

        var next = Peek(2);
        return next.Kind == HoconTokenKind.Quoted
            || (next.Kind == HoconTokenKind.Unquoted && IncludeOpeners.Any(o => next.Text.StartsWith(o, StringComparison.Ordinal)));
    }

    private void ParseInclude(HoconObject target, IReadOnlyList<string> prefix)
    {
        var keyword = Next();
        SkipWhitespace();
        var opener = "";
        var closer = "";
        HoconToken? name = null;
        while (Peek().Kind is HoconTokenKind.Unquoted or HoconTokenKind.Quoted or HoconTokenKind.Whitespace)
        {
            var token = Next();
            if (token.Kind == HoconTokenKind.Quoted && name is null)
            {
                name = token;
            }
            else if (token.Kind == HoconTokenKind.Unquoted)
            {
                if (name is null)
                {
                    opener += token.Text;
                }
                else
                {
                    closer += token.Text;
                }
            }
            else if (token.Kind == HoconTokenKind.Quoted)
            {
                throw Error(token, "include takes exactly one quoted file name", "include");
            }
        }

        if (name is not { } fileToken)
        {
            throw Error(Peek(), "include: expected a quoted file name", "include");
        }

        var required = opener.StartsWith("required(", StringComparison.Ordinal);
        var kind = required ? opener["required(".Length..] : opener;
        if (kind is "url(" or "classpath(")
        {
            throw Error(keyword, $"include {kind.TrimEnd('(')}(...) is not supported; use file(...)", "include");
        }

        if (kind is not ("" or "file(") || closer != new string(')', opener.Count(c => c == '(')))
        {
            throw Error(keyword, $"malformed include: {opener}\"{fileToken.Text}\"{closer}", "include");
        }

        IncludeFile(target, prefix, keyword, fileToken.Text, required);
    }

    private void IncludeFile(HoconObject target, IReadOnlyList<string> prefix, HoconToken keyword, string name, bool required)
    {
        var directory = _file is null ? "" : Path.GetDirectoryName(_file) ?? "";
        var path = Path.IsPathRooted(name) ? name : Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            if (required)
            {
                throw Error(keyword, $"required include file '{path}' not found", "include");
            }

            return;
        }

        var fullPath = Path.GetFullPath(path);
        if (_context.IncludeStack.Contains(fullPath, StringComparer.Ordinal))
        {
            throw Error(keyword, $"include cycle: '{path}' is already being parsed", "include");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new HoconException(Source(keyword), $"cannot read include file '{path}': {ex.Message}", "include", ex);
        }

        _context.IncludeStack.Add(fullPath);
        new HoconDocumentParser(text, path, _context).ParseInto(target, prefix);
        _context.IncludeStack.RemoveAt(_context.IncludeStack.Count - 1);
    }
}
