namespace AkkaLog.Hocon;

/// <summary>
/// One leaf of a flattened HOCON tree: the configuration key (<c>log:retention:hours</c>,
/// arrays as <c>key:0</c>), its value as a string (null for a HOCON <c>null</c>), and where it was written.
/// </summary>
public readonly record struct HoconEntry(string Key, string? Value, HoconSource Source);
