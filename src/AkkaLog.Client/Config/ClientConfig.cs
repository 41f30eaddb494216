using System.Collections;
using System.Globalization;

namespace AkkaLog.Client;

/// <summary>
/// Client settings as Kafka-named string keys (<c>bootstrap.servers</c>, <c>request.timeout.ms</c>...)
/// with typed properties over them. Setting a key this kind of client does not know, or a value that
/// does not parse, throws <see cref="ArgumentException"/> naming the key. Reading a key that was never
/// set yields the default from the Java client (see each property). Not thread-safe while being changed.
/// </summary>
public class ClientConfig : IEnumerable<KeyValuePair<string, string>>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly ConfigScope _scope;

    /// <summary>Creates a configuration that accepts the keys every client shares.</summary>
    public ClientConfig() : this(ConfigScope.All) { }

    /// <summary>Creates a configuration from <paramref name="values"/> (validated key by key).</summary>
    public ClientConfig(IEnumerable<KeyValuePair<string, string>> values) : this(ConfigScope.All) => SetAll(values);

    private protected ClientConfig(ConfigScope scope) => _scope = scope;

    /// <summary>Gets or sets a raw value. Getting an unset key returns null.</summary>
    public string? this[string key]
    {
        get => _values.TryGetValue(key, out var v) ? v : null;
        set => Set(key, value);
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> (null removes it) after checking both.</summary>
    public void Set(string key, string? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var definition = Definition(key);
        if (value is null)
        {
            _values.Remove(key);
            return;
        }
        Validate(definition, value);
        _values[key] = value.Trim();
    }

    /// <summary>The raw value of <paramref name="key"/>, or its default when unset.</summary>
    public string? Get(string key) => _values.TryGetValue(key, out var v) ? v : Definition(key).Default;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Comma-separated <c>host:port</c> list of brokers to start from (required).</summary>
    public string? BootstrapServers { get => this["bootstrap.servers"]; set => Set("bootstrap.servers", value); }

    /// <summary><c>client.id</c>: the name sent in every request header (default empty).</summary>
    public string ClientId { get => Get("client.id")!; set => Set("client.id", value); }

    /// <summary><c>request.timeout.ms</c> (default 30000).</summary>
    public int RequestTimeoutMs { get => GetInt("request.timeout.ms"); set => SetInt("request.timeout.ms", value); }

    /// <summary><c>retry.backoff.ms</c> (default 100).</summary>
    public long RetryBackoffMs { get => GetLong("retry.backoff.ms"); set => SetLong("retry.backoff.ms", value); }

    /// <summary><c>retry.backoff.max.ms</c> (default 1000).</summary>
    public long RetryBackoffMaxMs { get => GetLong("retry.backoff.max.ms"); set => SetLong("retry.backoff.max.ms", value); }

    /// <summary><c>reconnect.backoff.ms</c> (default 50).</summary>
    public long ReconnectBackoffMs { get => GetLong("reconnect.backoff.ms"); set => SetLong("reconnect.backoff.ms", value); }

    /// <summary><c>reconnect.backoff.max.ms</c> (default 1000).</summary>
    public long ReconnectBackoffMaxMs { get => GetLong("reconnect.backoff.max.ms"); set => SetLong("reconnect.backoff.max.ms", value); }

    /// <summary><c>socket.connection.setup.timeout.ms</c> (default 10000).</summary>
    public long SocketConnectionSetupTimeoutMs
    {
        get => GetLong("socket.connection.setup.timeout.ms");
        set => SetLong("socket.connection.setup.timeout.ms", value);
    }

    /// <summary><c>metadata.max.age.ms</c> (default 300000).</summary>
    public long MetadataMaxAgeMs { get => GetLong("metadata.max.age.ms"); set => SetLong("metadata.max.age.ms", value); }

    /// <summary>Reads <paramref name="key"/> as an int (its default when unset).</summary>
    protected int GetInt(string key) => int.Parse(Get(key)!, CultureInfo.InvariantCulture);

    /// <summary>Reads <paramref name="key"/> as a long (its default when unset).</summary>
    protected long GetLong(string key) => long.Parse(Get(key)!, CultureInfo.InvariantCulture);

    /// <summary>Reads <paramref name="key"/> as a bool (its default when unset).</summary>
    protected bool GetBool(string key) => bool.Parse(Get(key)!);

    /// <summary>Sets an int-valued key.</summary>
    protected void SetInt(string key, int value) => Set(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets a long-valued key.</summary>
    protected void SetLong(string key, long value) => Set(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Sets a bool-valued key.</summary>
    protected void SetBool(string key, bool value) => Set(key, value ? "true" : "false");

    /// <summary>Checks what every client needs before it starts; throws <see cref="ArgumentException"/> naming the key.</summary>
    internal virtual void ValidateForBuild()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
            throw new ArgumentException("bootstrap.servers must be set", "bootstrap.servers");
        _ = Internal.Network.BrokerAddress.ParseList(BootstrapServers);
    }

    /// <summary>Splits a comma-separated list value, trimming items and dropping empty ones.</summary>
    internal static string[] SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private void SetAll(IEnumerable<KeyValuePair<string, string>> values)
    {
        foreach (var (k, v) in values) Set(k, v);
    }

    private ConfigDefinition Definition(string key)
    {
        if (ConfigDefinitions.All.TryGetValue(key, out var d) && (d.Scope & _scope) != 0) return d;
        throw new ArgumentException($"unknown configuration key '{key}' for {GetType().Name}", key);
    }

    private static void Validate(ConfigDefinition d, string raw)
    {
        string value = raw.Trim();
        bool ok = d.Type switch
        {
            ConfigType.String => true,
            ConfigType.Int => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) && i >= d.Min,
            ConfigType.Long => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) && l >= d.Min,
            ConfigType.Bool => bool.TryParse(value, out _),
            ConfigType.Choice => d.Choices!.Contains(value, StringComparer.Ordinal),
            ConfigType.ChoiceList => SplitList(value) is { Length: > 0 } items && items.Distinct(StringComparer.Ordinal).Count() == items.Length
                                     && items.All(i => d.Choices!.Contains(i, StringComparer.Ordinal)),
            _ => false,
        };
        if (!ok)
        {
            string expected = d.Type switch
            {
                ConfigType.Int or ConfigType.Long => $"an integer >= {d.Min}",
                ConfigType.Bool => "true or false",
                ConfigType.Choice => "one of " + string.Join(", ", d.Choices!),
                ConfigType.ChoiceList => "a comma-separated list of distinct values from " + string.Join(", ", d.Choices!),
                _ => "a string",
            };
            throw new ArgumentException($"invalid value '{raw}' for configuration key '{d.Name}': expected {expected}", d.Name);
        }
    }
}
