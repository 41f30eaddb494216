using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace AkkaLog.Hocon;

/// <summary>
/// Loads a HOCON file into configuration keys (<c>log.retention.hours</c> becomes
/// <c>log:retention:hours</c>, array items <c>key:0</c>) and remembers where each key was written,
/// so a settings validator can point at the offending file and line.
/// </summary>
public sealed class HoconConfigurationProvider : ConfigurationProvider
{
    private Dictionary<string, HoconEntry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private List<HoconEntry> _ordered = [];

    /// <summary>Creates a provider for <paramref name="source"/>; nothing is read until <see cref="Load"/>.</summary>
    public HoconConfigurationProvider(HoconConfigurationSource source) => Source = source;

    /// <summary>The source this provider reads.</summary>
    public HoconConfigurationSource Source { get; }

    /// <summary>Every loaded key with its value and origin, in definition order.</summary>
    public IReadOnlyList<HoconEntry> Entries => _ordered;

    /// <summary>Reads the file. Throws <see cref="HoconException"/> on bad HOCON and
    /// <see cref="FileNotFoundException"/> when a non-optional file is missing.</summary>
    public override void Load()
    {
        if (!File.Exists(Source.Path))
        {
            if (!Source.Optional)
            {
                throw new FileNotFoundException($"HOCON configuration file '{Source.Path}' not found.", Source.Path);
            }

            _entries = new Dictionary<string, HoconEntry>(StringComparer.OrdinalIgnoreCase);
            _ordered = [];
            Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            return;
        }

        var entries = new Dictionary<string, HoconEntry>(StringComparer.OrdinalIgnoreCase);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var ordered = HoconParser.ParseFile(Source.Path, Source.Environment).Flatten();
        foreach (var entry in ordered)
        {
            entries[entry.Key] = entry;
            data[entry.Key] = entry.Value;
        }

        _entries = entries;
        _ordered = [.. ordered];
        Data = data;
    }

    /// <summary>Finds where configuration key <paramref name="key"/> (<c>a:b:c</c>) was written.</summary>
    public bool TryGetSource(string key, [NotNullWhen(true)] out string? file, out int line)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            file = entry.Source.File ?? HoconSource.NoFile;
            line = entry.Source.Line;
            return true;
        }

        file = null;
        line = 0;
        return false;
    }

    /// <summary>Finds the loaded entry (value and full source position) for <paramref name="key"/>.</summary>
    public bool TryGetEntry(string key, out HoconEntry entry) => _entries.TryGetValue(key, out entry);
}
