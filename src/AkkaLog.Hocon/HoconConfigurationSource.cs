using Microsoft.Extensions.Configuration;

namespace AkkaLog.Hocon;

/// <summary>Configuration source for one HOCON file (and the files it includes).</summary>
public sealed class HoconConfigurationSource : IConfigurationSource
{
    /// <summary>Path of the file, relative to the working directory unless absolute.</summary>
    public required string Path { get; init; }

    /// <summary>When true, a missing file yields no keys instead of an error.</summary>
    public bool Optional { get; init; }

    /// <summary>Environment lookup for <c>${?VAR}</c>; the process environment when null. Tests replace it.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconConfigurationProvider(this);
}
