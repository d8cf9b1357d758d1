using BenchmarkDotNet.Running;
using GitOps.Benchmarks;
using GitOps.Benchmarks.Scenarios;

// `observe`, `push`, `worker`, `git`, `validate`, `runs`, `large`, `targeted` and `fairshare` are long scenarios measured once (see ObserveScenario, PushScenario, WorkerPushScenario, GitFetchScenario, ValidateScenario, RunListScenario, LargeRunScenario, TargetedScenario, FairshareScenario); everything else goes to
// BenchmarkDotNet, where every [Benchmark] class in this assembly is listed: pick with --filter '*Plan*' (see bench/README.md).
if (args.Length > 0 && args[0] == "observe")
{
    return await ObserveScenario.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "git")
{
    return await GitFetchScenario.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "worker")
{
    return await WorkerPushScenario.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "validate")
{
    return ValidateScenario.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "runs")
{
    return await RunListScenario.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "large")
{
    return await LargeRunScenario.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "targeted")
{
    return await TargetedScenario.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "fairshare")
{
    return await FairshareScenario.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "push")
{
    return await PushScenario.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
