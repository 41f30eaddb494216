using AkkaLog.Hocon.Internal;

namespace AkkaLog.Hocon;

/// <summary>
/// Parses HOCON text into a resolved <see cref="HoconObject"/> tree: includes merged, duplicate keys
/// merged, every <c>${...}</c> replaced. Errors throw <see cref="HoconException"/> with file, line,
/// column and key. Supported: braces optional at the root, <c>=</c>/<c>:</c> (or nothing before
/// <c>{</c>), dotted and quoted keys, arrays, comments (<c>//</c>, <c>#</c>), quoted, triple-quoted and
/// unquoted strings, value concatenation, <c>include</c>, <c>${a.b}</c>/<c>${?ENV}</c>,
/// self-references (<c>path = ${path}":/x"</c>) and <c>+=</c>. Not supported: <c>url(...)</c> and
/// <c>classpath(...)</c> includes; substitutions inside an included file are absolute (from the root),
/// not relative to where the file is included.
/// </summary>
public static class HoconParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="fileName"/> is used in messages and as the base for includes.</summary>
    /// <param name="text">HOCON source.</param>
    /// <param name="fileName">Path of the text's file, or null (includes are then relative to the working directory).</param>
    /// <param name="environment">Environment variable lookup for substitutions; the process environment when null.</param>
    public static HoconObject Parse(string text, string? fileName = null, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var env = environment ?? Environment.GetEnvironmentVariable;
        var context = new HoconParseContext(new HoconObject(new HoconSource(fileName, 1, 1)), env);
        if (fileName is not null)
        {
            context.IncludeStack.Add(Path.GetFullPath(fileName));
        }

        new HoconDocumentParser(text, fileName, context).ParseInto(context.Root, []);
        HoconResolver.Resolve(context.Root, env);
        return context.Root;
    }

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static HoconObject ParseFile(string path, Func<string, string?>? environment = null) =>
        Parse(File.ReadAllText(path), path, environment);
}
