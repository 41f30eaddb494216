using System.CommandLine;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// Repeatable <c>k=v</c> options (<c>--config</c>, <c>--header</c>, <c>--producer-property</c>). The
/// value is split at the first '=' so values may contain '='; a token without one is a parse error
/// (exit 2) naming the option.
/// </summary>
internal static class KeyValueOption
{
    /// <summary>Creates a repeatable option parsing each token as <c>key=value</c>.</summary>
    public static Option<List<KeyValuePair<string, string>>> Create(string name, string description, params string[] aliases)
    {
        var option = new Option<List<KeyValuePair<string, string>>>(name, aliases)
        {
            Description = description + " (repeatable)",
            HelpName = "key=value",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        option.CustomParser = result =>
        {
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var token in result.Tokens)
            {
                int eq = token.Value.IndexOf('=');
                if (eq <= 0)
                {
                    result.AddError($"{name} expects key=value, got '{token.Value}'");
                    return pairs;
                }
                pairs.Add(new(token.Value[..eq].Trim(), token.Value[(eq + 1)..]));
            }
            return pairs;
        };
        return option;
    }

    /// <summary>The pairs as a dictionary; the last of a repeated key wins.</summary>
    public static Dictionary<string, string> ToDictionary(IEnumerable<KeyValuePair<string, string>>? pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs ?? []) result[k] = v;
        return result;
    }
}
