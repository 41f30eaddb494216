namespace AkkaLog.Hocon.Internal;

/// <summary>
/// Value concatenation with at least one unresolved or non-string part
/// (<c>${dir}"/data"</c>, <c>${defaults} { port = 1 }</c>, <c>${list} [4]</c>). Resolves to a string
/// if all parts are scalars, a merged object if all are objects, a joined array if all are arrays.
/// </summary>
internal sealed class HoconConcatenation(List<HoconValue> parts, HoconSource source) : HoconValue(source)
{
    public List<HoconValue> Parts { get; } = parts;
}
