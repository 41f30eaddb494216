namespace AkkaLog.Client;

/// <summary>Builds an <see cref="IAdminClient"/>.</summary>
public sealed class AdminClientBuilder
{
    private readonly AdminClientConfig _config;

    /// <summary>Starts from <paramref name="config"/> (copied and validated key by key).</summary>
    public AdminClientBuilder(IEnumerable<KeyValuePair<string, string>> config) => _config = new AdminClientConfig(config);

    /// <summary>Creates the admin client; throws <see cref="ArgumentException"/> for a missing setting. The first call connects.</summary>
    public IAdminClient Build() => new Internal.Admin.AdminClient(_config);
}
