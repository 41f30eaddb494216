using AkkaLog.Benchmarks;
using BenchmarkDotNet.Running;

// loadgen HOST:PORT [options]  - drives a running broker over loopback and prints throughput
// micro [BenchmarkDotNet args]  - in-process micro-benchmarks of the hot paths
if (args.Length > 0 && args[0] == "loadgen") return await LoadGenerator.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "micro") { BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]); return 0; }
Console.Error.WriteLine("usage: AkkaLog.Benchmarks loadgen HOST:PORT [--mb N] | micro [--filter *]");
return 2;
