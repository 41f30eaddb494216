using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AkkaLog.Hocon;

/// <summary>
/// Parses HOCON duration and size strings, following Typesafe Config's units.
/// <para>Durations: a number, optional spaces, a unit: <c>ns</c>, <c>us</c>, <c>ms</c>, <c>s</c>,
/// <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c> or their long forms (<c>millis</c>, <c>seconds</c>, <c>minutes</c>, ...).
/// No unit means milliseconds. Examples: <c>10ms</c>, <c>5 s</c>, <c>2 minutes</c>, <c>7d</c>, <c>1.5h</c>.</para>
/// <para>Sizes: no unit or <c>B</c> means bytes; a bare prefix or the binary forms are powers of 1024
/// (<c>k</c>, <c>K</c>, <c>Ki</c>, <c>KiB</c>, <c>kibibytes</c>; likewise m, g, t, p); the decimal forms
/// <c>kB</c>/<c>KB</c>, <c>MB</c>, <c>GB</c>, <c>TB</c>, <c>PB</c> and <c>kilobytes</c>, ... are powers of 1000.
/// Examples: <c>1KiB</c> = 1024, <c>10MB</c> = 10,000,000, <c>1g</c> = 1073741824, <c>512k</c> = 524288.</para>
/// </summary>
public static partial class HoconUnits
{
    private static readonly Dictionary<string, decimal> DurationTicks = BuildDurationUnits();
    private static readonly Dictionary<string, int> PrefixPowers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["k"] = 1, ["kilo"] = 1, ["kibi"] = 1,
        ["m"] = 2, ["mega"] = 2, ["mebi"] = 2,
        ["g"] = 3, ["giga"] = 3, ["gibi"] = 3,
        ["t"] = 4, ["tera"] = 4, ["tebi"] = 4,
        ["p"] = 5, ["peta"] = 5, ["pebi"] = 5,
    };

    /// <summary>Parses a duration; throws <see cref="FormatException"/> naming the bad input.</summary>
    public static TimeSpan ParseDuration(string text) =>
        TryParseDuration(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>Parses a duration into whole milliseconds (fractions truncated).</summary>
    public static long ParseDurationMilliseconds(string text) => ParseDuration(text).Ticks / TimeSpan.TicksPerMillisecond;

    /// <summary>Parses a duration; false on bad input.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan value) => TryParseDuration(text, out value, out _);

    /// <summary>Parses a size in bytes; throws <see cref="FormatException"/> naming the bad input.</summary>
    public static long ParseSize(string text) =>
        TryParseSize(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>Parses a size in bytes; false on bad input.</summary>
    public static bool TryParseSize(string? text, out long value) => TryParseSize(text, out value, out _);

    private static bool TryParseDuration(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        if (!TrySplit(text, "duration", out var number, out var unit, out error))
        {
            return false;
        }

        if (!DurationTicks.TryGetValue(unit, out var ticksPerUnit))
        {
            error = $"Invalid duration '{text}': unknown unit '{unit}' (use ns, us, ms, s, m, h, d or w).";
            return false;
        }

        if (!TryScale(number, ticksPerUnit, text!, "duration", out var ticks, out error))
        {
            return false;
        }

        value = TimeSpan.FromTicks(ticks);
        return true;
    }

    private static bool TryParseSize(string? text, out long value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (!TrySplit(text, "size", out var number, out var unit, out error))
        {
            return false;
        }

        if (number < 0)
        {
            error = $"Invalid size '{text}': must not be negative.";
            return false;
        }

        if (SizeMultiplier(unit) is not { } multiplier)
        {
            error = $"Invalid size '{text}': unknown unit '{unit}' (use B, K/KiB, M/MiB, G/GiB, T/TiB, or kB, MB, GB, TB for powers of 1000).";
            return false;
        }

        return TryScale(number, multiplier, text!, "size", out value, out error);
    }

    private static long? SizeMultiplier(string unit)
    {
        if (unit.Length == 0 || unit is "B" or "b" || unit.Equals("byte", StringComparison.OrdinalIgnoreCase)
            || unit.Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }

        // Long forms: kilobyte(s) are decimal, kibibyte(s) binary.
        var lower = unit.ToLowerInvariant();
        if (lower.EndsWith("bytes", StringComparison.Ordinal) || lower.EndsWith("byte", StringComparison.Ordinal))
        {
            var prefix = lower[..lower.LastIndexOf("byte", StringComparison.Ordinal)];
            return PrefixPowers.TryGetValue(prefix, out var p) && prefix.Length > 1 ? Power(prefix.EndsWith("bi", StringComparison.Ordinal) ? 1024 : 1000, p) : null;
        }

        if (!PrefixPowers.TryGetValue(unit[..1], out var power))
        {
            return null;
        }

        return unit[1..] switch
        {
            "" or "i" or "iB" => Power(1024, power),
            "B" => Power(1000, power),
            _ => null,
        };
    }

    private static long Power(long @base, int power)
    {
        var result = 1L;
        for (var i = 0; i < power; i++)
        {
            result *= @base;
        }

        return result;
    }

    private static bool TrySplit(string? text, string what, out decimal number, out string unit, [NotNullWhen(false)] out string? error)
    {
        number = 0;
        unit = "";
        var match = text is null ? null : NumberAndUnit().Match(text);
        if (match is null || !match.Success
            || !decimal.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            error = $"Invalid {what} '{text}': expected a number optionally followed by a unit.";
            return false;
        }

        unit = match.Groups[2].Value;
        error = null;
        return true;
    }

    private static bool TryScale(decimal number, decimal multiplier, string text, string what, out long result, [NotNullWhen(false)] out string? error)
    {
        result = 0;
        try
        {
            result = (long)decimal.Truncate(number * multiplier);
            error = null;
            return true;
        }
        catch (OverflowException)
        {
            error = $"Invalid {what} '{text}': too large.";
            return false;
        }
    }

    private static Dictionary<string, decimal> BuildDurationUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        void Add(decimal ticks, params string[] names)
        {
            foreach (var name in names)
            {
                units[name] = ticks;
            }
        }

        // TimeSpan resolution is 100 ns (one tick); finer values truncate.
        Add(0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(10m, "us", "µs", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "", "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "sec", "secs", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "min", "mins", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        Add(TimeSpan.TicksPerDay * 7, "w", "week", "weeks");
        return units;
    }

    [GeneratedRegex(@"^\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*([A-Za-zµ]*)\s*$")]
    private static partial Regex NumberAndUnit();
}
