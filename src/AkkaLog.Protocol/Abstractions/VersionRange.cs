namespace AkkaLog.Protocol;

/// <summary>
/// An inclusive range of message versions, e.g. <c>0-11</c>, or <see cref="None"/>.
/// Open-ended schema ranges (<c>"9+"</c>) use <see cref="short.MaxValue"/> as the highest version.
/// </summary>
/// <param name="Lowest">Lowest version in the range.</param>
/// <param name="Highest">Highest version in the range; below <paramref name="Lowest"/> when empty.</param>
public readonly record struct VersionRange(short Lowest, short Highest)
{
    /// <summary>The empty range (schema <c>"none"</c>).</summary>
    public static VersionRange None { get; } = new(0, -1);

    /// <summary>True when the range holds no version.</summary>
    public bool IsEmpty => Highest < Lowest;

    /// <summary>True when <paramref name="version"/> lies in the range.</summary>
    public bool Contains(short version) => version >= Lowest && version <= Highest;

    /// <summary>The versions in both ranges.</summary>
    public VersionRange Intersect(VersionRange other) =>
        new(Math.Max(Lowest, other.Lowest), Math.Min(Highest, other.Highest));

    /// <summary>Formats as Kafka's schema does: <c>none</c>, <c>3</c>, <c>3+</c> or <c>3-7</c>.</summary>
    public override string ToString() =>
        IsEmpty ? "none"
        : Highest == short.MaxValue ? $"{Lowest}+"
        : Lowest == Highest ? $"{Lowest}"
        : $"{Lowest}-{Highest}";
}
