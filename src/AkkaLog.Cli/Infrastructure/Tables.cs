using System.Globalization;
using System.Text;
using Spectre.Console;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// A table of plain-text cells. On a terminal it is drawn by Spectre with a rounded border; piped, it
/// is aligned columns separated by two spaces with no trailing blanks, one row per line, so awk and
/// cut can read it. Cells are never Spectre markup: topic names and values may contain '[' and ']'.
/// </summary>
internal sealed class TextTable(params string[] columns)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row (null shows as "-").</summary>
    public TextTable Add(params object?[] cells)
    {
        _rows.Add(cells.Select(Tables.Format).ToArray());
        return this;
    }

    /// <summary>Writes the table to stdout.</summary>
    public void Write(CliContext context)
    {
        if (context.Io.IsTerminal)
        {
            var table = new Table { Border = TableBorder.Rounded };
            foreach (var c in columns) table.AddColumn(new TableColumn(new Text(c, new Style(decoration: Decoration.Bold))));
            foreach (var row in _rows) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
            context.Console.Write(table);
            return;
        }
        var widths = columns.Select((c, i) => Math.Max(c.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteLine(context.Out, columns, widths);
        foreach (var row in _rows) WriteLine(context.Out, row, widths);
    }

    private static void WriteLine(TextWriter output, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0) line.Append("  ");
            line.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]));
        }
        output.WriteLine(line.ToString());
    }
}

/// <summary>Helpers for people-facing text output.</summary>
internal static class Tables
{
    /// <summary>How a cell value is printed.</summary>
    public static string Format(object? value) => value switch
    {
        null => "-",
        string s => s,
        // Plain digits, no separators: piped tables are read by awk and friends.
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        IEnumerable<int> ints => string.Join(',', ints),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };

    /// <summary>A heading line: bold on a terminal, plain when piped.</summary>
    public static void Heading(CliContext context, string text)
    {
        if (context.Io.IsTerminal) context.Console.Write(new Text(text + Environment.NewLine, new Style(decoration: Decoration.Bold)));
        else context.Out.WriteLine(text);
    }
}
