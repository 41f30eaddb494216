using AkkaLog.Cli;
using AkkaLog.Cli.Infrastructure;

// The process entry: the real console. Everything else runs through CliApp so tests can invoke it
// in-process with captured streams.
return await CliApp.RunAsync(args, CliIo.FromConsole());
