using AkkaLog.Protocol.Generator;

if (args.Length != 2)
{
    Console.Error.WriteLine($"usage: dotnet run --project tools/{MessageEmitter.GeneratorName} -- <messagesDir> <outDir>");
    return 2;
}

var files = Generation.Generate(args[0]);
foreach (var rename in Generation.Renamed)
{
    Console.WriteLine($"renamed struct {rename} (clashes with a member name)");
}

var removed = Generation.WriteTo(files, args[1]);
Console.WriteLine($"Wrote {files.Count} files to {args[1]}" + (removed > 0 ? $", removed {removed} stale generated files" : "") + ".");
return 0;
