using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Commands.Configs;

/// <summary>
/// <c>akkalog config alter --topic NAME | --broker ID --set k=v... --delete k...</c>: incremental
/// changes (IncrementalAlterConfigs), so configs not named keep their values.
/// </summary>
internal sealed class ConfigAlterCommand : CliCommand
{
    private readonly ResourceOptions _resource = new();

    private readonly Option<List<KeyValuePair<string, string>>> _set = KeyValueOption.Create("--set", "Config to set");

    private readonly Option<string[]> _delete = new("--delete")
    {
        Description = "Config to remove, going back to its default (repeatable)",
        HelpName = "key",
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => [],
    };

    private readonly Option<bool> _validateOnly = new("--validate-only") { Description = "Ask the broker to check the change without applying it" };

    public ConfigAlterCommand(CliServices services) : base("alter", "Set or remove configs of a topic or broker", services)
    {
        _resource.AddTo(this);
        Add(_set);
        Add(_delete);
        Add(_validateOnly);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        var resource = _resource.Resolve(context);
        var set = KeyValueOption.ToDictionary(context.Get(_set));
        var delete = context.Get(_delete) ?? [];
        if (set.Count == 0 && delete.Length == 0) throw new UsageException("nothing to alter: give --set key=value or --delete key");
        var changes = set.Select(kv => new ConfigEntry(kv.Key, kv.Value))
            .Concat(delete.Select(k => new ConfigEntry(k, null, AlterConfigOpType.Delete))).ToList();
        bool validateOnly = context.Get(_validateOnly);

        await using var admin = context.CreateAdmin();
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, IReadOnlyList<ConfigEntry>> { [resource] = changes },
            new AdminOptions { ValidateOnly = validateOnly }, context.Cancellation);

        if (context.Json)
        {
            context.WriteJson(new
            {
                resource = new { type = resource.Type.ToString().ToLowerInvariant(), name = resource.Name },
                set, deleted = delete, validateOnly,
            });
            return ExitCodes.Ok;
        }
        string what = ResourceOptions.Describe(resource);
        string verb = validateOnly ? "Would set" : "Set";
        foreach (var (k, v) in set) context.Out.WriteLine($"{verb} {k}={v} on {what}.");
        foreach (var k in delete) context.Out.WriteLine($"{(validateOnly ? "Would remove" : "Removed")} {k} from {what}.");
        return ExitCodes.Ok;
    }
}
