namespace AkkaLog.Client;

/// <summary>Admin client settings: the shared <see cref="ClientConfig"/> keys plus <c>default.api.timeout.ms</c> and <c>retries</c>.</summary>
public sealed class AdminClientConfig : ClientConfig
{
    /// <summary>Creates an empty admin configuration.</summary>
    public AdminClientConfig() : base(ConfigScope.Admin) { }

    /// <summary>Creates an admin configuration from <paramref name="values"/> (validated key by key).</summary>
    public AdminClientConfig(IEnumerable<KeyValuePair<string, string>> values) : base(ConfigScope.Admin)
    {
        foreach (var (k, v) in values) Set(k, v);
    }

    /// <summary><c>default.api.timeout.ms</c>: the time one admin call may take, retries included (default 60000).</summary>
    public int DefaultApiTimeoutMs { get => GetInt("default.api.timeout.ms"); set => SetInt("default.api.timeout.ms", value); }

    /// <summary><c>retries</c> (default int.MaxValue: the API timeout bounds retrying).</summary>
    public int Retries { get => GetInt("retries"); set => SetInt("retries", value); }
}
