using System.Globalization;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Messages;

/// <summary>Parses <c>consume --offset</c>: a number, or <c>earliest</c>/<c>beginning</c>, or <c>latest</c>/<c>end</c>.</summary>
internal static class OffsetSpec
{
    public static Offset Parse(string text) => text.ToLowerInvariant() switch
    {
        "earliest" or "beginning" => Offset.Beginning,
        "latest" or "end" => Offset.End,
        _ when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) => new Offset(n),
        _ => throw new UsageException($"--offset expects a number, earliest or latest, got '{text}'"),
    };
}
