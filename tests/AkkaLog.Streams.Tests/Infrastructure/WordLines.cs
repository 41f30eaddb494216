namespace AkkaLog.Streams.Tests.Infrastructure;

/// <summary>Seeded word-count input: lines of 1-5 words from a small vocabulary, with each word's true count.</summary>
public sealed record WordLines(IReadOnlyList<string> Lines, IReadOnlyDictionary<string, long> Counts)
{
    /// <summary>Input records plus counted words: what a word count processes in all (its two sub-topologies).</summary>
    public long TotalProcessed => Lines.Count + Counts.Values.Sum();

    public static WordLines Generate(int seed, int lineCount, int vocabulary)
    {
        var random = new Random(seed);
        string[] words = Enumerable.Range(0, vocabulary).Select(i => $"w{i}").ToArray();
        var lines = Enumerable.Range(0, lineCount)
            .Select(_ => string.Join(' ', Enumerable.Range(0, 1 + random.Next(5)).Select(_ => words[random.Next(words.Length)]))).ToList();
        var counts = lines.SelectMany(l => l.Split(' ')).GroupBy(w => w).ToDictionary(g => g.Key, g => (long)g.Count());
        return new WordLines(lines, counts);
    }

    /// <summary>The lines as records keyed l0, l1, ... with timestamps from 1000 up.</summary>
    public IEnumerable<(string?, string?, long)> Records() => Lines.Select((l, i) => ((string?)$"l{i}", (string?)l, 1000L + i));
}
