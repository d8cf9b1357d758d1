using BenchmarkDotNet.Running;

// Every [Benchmark] class in this assembly is listed; pick with --filter '*Plan*' (see bench/README.md).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
