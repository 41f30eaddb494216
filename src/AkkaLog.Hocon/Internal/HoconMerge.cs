namespace AkkaLog.Hocon.Internal;

/// <summary>
/// A duplicate key whose merge must wait for resolution because one side is unresolved
/// (<c>a { x = 1 }</c> then <c>a = ${b}</c>). Resolves left to right: object onto object merges,
/// anything else replaces what came before.
/// </summary>
internal sealed class HoconMerge(List<HoconValue> layers, HoconSource source) : HoconValue(source)
{
    public List<HoconValue> Layers { get; } = layers;
}
