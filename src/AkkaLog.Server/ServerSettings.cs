using AkkaLog.Broker.Config;
using AkkaLog.Hocon;
using Microsoft.Extensions.Configuration;

namespace AkkaLog.Server;

/// <summary>
/// Builds the broker configuration the way the README promises: a HOCON file (<c>--config FILE</c>,
/// default <c>hocon/single-node.conf</c>), then environment variables <c>AKKALOG_&lt;KEY&gt;</c>
/// (dots as <c>_</c>, a literal underscore as <c>__</c>), then <c>--key=value</c> switches.
/// </summary>
public static class ServerSettings
{
    /// <summary>Prefix of environment variables that set broker keys.</summary>
    public const string EnvironmentPrefix = "AKKALOG_";

    /// <summary>Parses arguments and the environment into a validated configuration.</summary>
    public static BrokerConfig Load(string[] args, IDictionary<string, string?> environment, string baseDirectory)
    {
        string? configFile = null;
        var overrides = new List<KeyValuePair<string, string?>>();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new ConfigException(arg, $"unexpected argument '{arg}'; use --config FILE or --key=value");
            string body = arg[2..];
            int eq = body.IndexOf('=');
            string key = eq >= 0 ? body[..eq] : body;
            string? value = eq >= 0 ? body[(eq + 1)..] : (i + 1 < args.Length ? args[++i] : null);
            if (value is null) throw new ConfigException(key, $"--{key} needs a value");
            if (key == "config") configFile = value;
            else overrides.Add(KeyValuePair.Create(key, (string?)value));
        }

        configFile ??= FindDefaultConfig(baseDirectory);
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new ConfigException("config", $"configuration file '{configFile}' does not exist");
            builder.AddHoconFile(Path.GetFullPath(configFile));
        }
        var root = builder.Build();
        var fromFile = root.AsEnumerable()
            .Where(kv => kv.Value is not null)
            .Select(kv => KeyValuePair.Create(kv.Key.Replace(':', '.'), kv.Value));

        var fromEnvironment = environment
            .Where(kv => kv.Key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && kv.Value is not null)
            .Select(kv => KeyValuePair.Create(EnvironmentKey(kv.Key), kv.Value));

        var merged = new Dictionary<string, string?>();
        var origin = new Dictionary<string, string>();
        foreach (var (k, v) in fromFile)
        {
            merged[k] = v;
            origin[k] = root.TryGetHoconSource(k.Replace('.', ':'), out var file, out int line) ? $"{file}:{line}" : configFile!;
        }
        foreach (var (k, v) in fromEnvironment) { merged[k] = v; origin[k] = "environment"; }
        foreach (var (k, v) in overrides) { merged[k] = v; origin[k] = "command line"; }
        return BrokerConfig.From(merged, key => origin.TryGetValue(key, out var o) ? o : null);
    }

    /// <summary>AKKALOG_LOG_RETENTION_HOURS → log.retention.hours; a double underscore is a literal underscore.</summary>
    public static string EnvironmentKey(string variable) =>
        variable[EnvironmentPrefix.Length..].ToLowerInvariant().Replace("__", "\u0001").Replace('_', '.').Replace('\u0001', '_');

    private static string? FindDefaultConfig(string baseDirectory)
    {
        foreach (var candidate in new[] { Path.Combine("hocon", "single-node.conf"), Path.Combine(baseDirectory, "hocon", "single-node.conf") })
            if (File.Exists(candidate)) return candidate;
        return null;
    }
}
