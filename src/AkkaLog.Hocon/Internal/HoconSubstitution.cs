namespace AkkaLog.Hocon.Internal;

/// <summary>
/// An unresolved <c>${path}</c> or <c>${?path}</c>. Exists only between parsing and resolution.
/// </summary>
internal sealed class HoconSubstitution(IReadOnlyList<string> path, bool optional, HoconSource source) : HoconValue(source)
{
    public IReadOnlyList<string> Path { get; } = path;

    public bool Optional { get; } = optional;

    /// <summary>
    /// Set for a self-reference with no earlier value (<c>path = ${?path}":/x"</c> as the first
    /// definition): only the environment may answer, since the tree would find the field itself.
    /// </summary>
    public bool EnvironmentOnly { get; init; }

    public string Expression => (Optional ? "${?" : "${") + HoconPath.Render(Path) + "}";
}
