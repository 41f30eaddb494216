using System.Globalization;

namespace AkkaLog.Broker.Config;

/// <summary>Parses and validates a configuration value against its <see cref="ConfigKey"/>.</summary>
public static class ConfigValues
{
    /// <summary>
    /// Checks <paramref name="raw"/> and returns it in canonical form (plain numbers for sizes and
    /// durations written with units). Throws <see cref="ConfigException"/> naming the key.
    /// </summary>
    public static string Normalize(ConfigKey key, string raw, string? where = null)
    {
        string at = where is null ? "" : $" ({where})";
        string value = raw.Trim();
        switch (key.Type)
        {
            case ConfigType.Int:
            case ConfigType.Long:
                long n = ParseInteger(key, value, at);
                if (key.Type == ConfigType.Int && (n < int.MinValue || n > int.MaxValue))
                    throw Invalid(key, raw, at, "is out of the int range");
                CheckRange(key, n, raw, at);
                return n.ToString(CultureInfo.InvariantCulture);
            case ConfigType.Double:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                    throw Invalid(key, raw, at, "is not a number");
                CheckRange(key, d, raw, at);
                return d.ToString(CultureInfo.InvariantCulture);
            case ConfigType.Boolean:
                if (!bool.TryParse(value, out bool b)) throw Invalid(key, raw, at, "must be true or false");
                return b ? "true" : "false";
            case ConfigType.List:
                var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (key.ValidValues is { } allowed)
                    foreach (var item in items)
                        if (!allowed.Contains(item)) throw Invalid(key, raw, at, $"has '{item}'; valid values are {string.Join(", ", allowed)}");
                return string.Join(',', items);
            default:
                if (key.ValidValues is { } valid && !valid.Contains(value))
                    throw Invalid(key, raw, at, $"valid values are {string.Join(", ", valid)}");
                return value;
        }
    }

    private static long ParseInteger(ConfigKey key, string value, string at)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)) return n;
        try
        {
            if (key.Name.EndsWith(".bytes", StringComparison.Ordinal)) return Hocon.HoconUnits.ParseSize(value);
            if (key.Name.EndsWith(".ms", StringComparison.Ordinal)) return (long)Hocon.HoconUnits.ParseDuration(value).TotalMilliseconds;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or Hocon.HoconException)
        {
            throw Invalid(key, value, at, e.Message);
        }
        throw Invalid(key, value, at, "is not an integer");
    }

    private static void CheckRange(ConfigKey key, double n, string raw, string at)
    {
        if (key.Min is { } min && n < min) throw Invalid(key, raw, at, $"must be at least {min}");
        if (key.Max is { } max && n > max) throw Invalid(key, raw, at, $"must be at most {max}");
    }

    private static ConfigException Invalid(ConfigKey key, string raw, string at, string why) =>
        new(key.Name, $"invalid value '{raw}' for configuration '{key.Name}'{at}: {why}");
}
