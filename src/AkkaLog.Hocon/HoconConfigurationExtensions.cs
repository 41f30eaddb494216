using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace AkkaLog.Hocon;

/// <summary>Registers HOCON files with a configuration builder and finds where a key came from.</summary>
public static class HoconConfigurationExtensions
{
    /// <summary>Adds the HOCON file at <paramref name="path"/> (relative to the working directory unless absolute).</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.Add(new HoconConfigurationSource { Path = path, Optional = optional });
    }

    /// <summary>Adds a configured <see cref="HoconConfigurationSource"/>.</summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, HoconConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(source);
    }

    /// <summary>
    /// Finds the HOCON file and line that supplied <paramref name="key"/>, asking the providers last
    /// to first (the order in which later ones win). False if no HOCON provider has the key.
    /// </summary>
    public static bool TryGetHoconSource(this IConfigurationRoot configuration, string key, [NotNullWhen(true)] out string? file, out int line)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var provider in configuration.Providers.Reverse())
        {
            if (provider is HoconConfigurationProvider hocon && hocon.TryGetSource(key, out file, out line))
            {
                return true;
            }

            // A later non-HOCON provider (environment, command line) that has the key wins.
            if (provider is not HoconConfigurationProvider && provider.TryGet(key, out _))
            {
                break;
            }
        }

        file = null;
        line = 0;
        return false;
    }
}
