using BenchmarkDotNet.Running;

if (args is ["push", ..]) { Environment.ExitCode = await GitOps.Benchmarks.Scenarios.PushScenario.RunAsync(args[1..]); return; }

// Every [Benchmark] class in this assembly is listed; pick with --filter '*Plan*' (see bench/README.md).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
