using BenchmarkDotNet.Running;
using GitOps.Benchmarks;

// `observe` is a long scenario measured once (see ObserveScenario); everything else goes to BenchmarkDotNet, where every
// [Benchmark] class in this assembly is listed: pick with --filter '*Plan*' (see bench/README.md).
if (args.Length > 0 && args[0] == "observe")
{
    return await ObserveScenario.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
