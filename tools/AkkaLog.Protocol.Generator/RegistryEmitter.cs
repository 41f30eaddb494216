namespace AkkaLog.Protocol.Generator;

/// <summary>Emits the <c>ApiKey</c> enum and the <c>ApiMessages</c> registry.</summary>
public static class RegistryEmitter
{
    public static List<(MessageSpec Request, MessageSpec Response)> Pairs(IEnumerable<MessageSpec> specs)
    {
        var list = specs.ToList();
        var pairs = new List<(MessageSpec, MessageSpec)>();
        foreach (var request in list.Where(s => s.Kind == "request").OrderBy(s => s.ApiKey))
        {
            var response = list.SingleOrDefault(s => s.Kind == "response" && s.ApiKey == request.ApiKey)
                ?? throw new InvalidDataException($"No response for {request.Name}");
            if (request.ValidVersions != response.ValidVersions)
            {
                throw new InvalidDataException($"{request.Name} and {response.Name} disagree on valid versions");
            }

            pairs.Add((request, response));
        }

        return pairs;
    }

    public static string EmitApiKey(List<(MessageSpec Request, MessageSpec Response)> pairs)
    {
        var cb = new CodeBuilder();
        MessageEmitter.Header(cb, "the request schemas");
        cb.Line("namespace AkkaLog.Protocol;");
        cb.Line();
        cb.Line("/// <summary>Kafka API keys: the int16 that opens every request header.</summary>");
        cb.Open("public enum ApiKey : short");
        foreach (var (request, _) in pairs)
        {
            cb.Line($"/// <summary>{MessageEmitter.ApiName(request)} (versions {request.ValidVersions}).</summary>");
            cb.Line($"{MessageEmitter.ApiName(request)} = {request.ApiKey},");
        }

        cb.Close();
        return cb.ToString();
    }

    public static string EmitApiMessages(List<(MessageSpec Request, MessageSpec Response)> pairs)
    {
        var cb = new CodeBuilder();
        MessageEmitter.Header(cb, "the request and response schemas");
        cb.Line("using System.Diagnostics.CodeAnalysis;");
        cb.Line();
        cb.Line("namespace AkkaLog.Protocol.Messages;");
        cb.Line();
        cb.Line("/// <summary>Every API's request and response types, version ranges and factories.</summary>");
        cb.Open("public static partial class ApiMessages");
        cb.Line("/// <summary>All APIs, ordered by key.</summary>");
        cb.Open("public static IReadOnlyList<ApiMessageInfo> All { get; } = new ApiMessageInfo[]");
        foreach (var (request, response) in pairs)
        {
            string name = MessageEmitter.ApiName(request);
            cb.Line($"new(ApiKey.{name}, \"{name}\", typeof({request.Name}), typeof({response.Name}), " +
                    $"{Range(request.ValidVersions)}, {Range(request.FlexibleVersions)}, {Range(response.FlexibleVersions)}, " +
                    $"{(request.LatestVersionUnstable || response.LatestVersionUnstable ? "true" : "false")}),");
        }

        cb.Close(";");
        cb.Line();
        cb.Line("// Declared after All: static initializers run in textual order.");
        cb.Line("private static readonly ApiMessageInfo?[] ByKey = BuildIndex();");
        cb.Line();
        cb.Line("/// <summary>Looks up an API; false for keys no schema defines.</summary>");
        cb.Open("public static bool TryGetInfo(ApiKey key, [NotNullWhen(true)] out ApiMessageInfo? info)");
        cb.Line("int index = (int)key;");
        cb.Line("info = index >= 0 && index < ByKey.Length ? ByKey[index] : null;");
        cb.Line("return info is not null;");
        cb.Close();
        cb.Line();
        cb.Line("/// <summary>Looks up an API; throws <see cref=\"KafkaProtocolException\"/> for unknown keys.</summary>");
        cb.Line("public static ApiMessageInfo GetInfo(ApiKey key) =>");
        cb.Line("    TryGetInfo(key, out var info) ? info : throw UnknownKey(key);");
        EmitFactory(cb, pairs, "Request", p => p.Request);
        EmitFactory(cb, pairs, "Response", p => p.Response);
        cb.Line();
        cb.Line("private static KafkaProtocolException UnknownKey(ApiKey key) =>");
        cb.Line("    new($\"Unknown API key {(short)key}.\", ErrorCode.InvalidRequest);");
        cb.Line();
        cb.Open("private static ApiMessageInfo?[] BuildIndex()");
        cb.Line("var index = new ApiMessageInfo?[All.Max(i => (int)i.Key) + 1];");
        cb.Open("foreach (var info in All)");
        cb.Line("index[(int)info.Key] = info;");
        cb.Close();
        cb.Line("return index;");
        cb.Close();
        cb.Close();
        return cb.ToString();
    }

    private static void EmitFactory(
        CodeBuilder cb,
        List<(MessageSpec Request, MessageSpec Response)> pairs,
        string kind,
        Func<(MessageSpec Request, MessageSpec Response), MessageSpec> pick)
    {
        cb.Line();
        cb.Line($"/// <summary>Creates an empty {kind.ToLowerInvariant()} for <paramref name=\"key\"/>; throws <see cref=\"KafkaProtocolException\"/> for unknown keys.</summary>");
        cb.Open($"public static IKafka{kind} Create{kind}(ApiKey key) => key switch");
        foreach (var pair in pairs)
        {
            cb.Line($"ApiKey.{MessageEmitter.ApiName(pair.Request)} => new {pick(pair).Name}(),");
        }

        cb.Line("_ => throw UnknownKey(key),");
        cb.Close(";");
    }

    private static string Range(Versions v) =>
        v.IsEmpty ? "VersionRange.None" : $"new({v.Lowest}, {(v.Highest == Versions.Max ? "short.MaxValue" : v.Highest.ToString())})";
}
