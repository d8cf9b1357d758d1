using System.Diagnostics;
using System.Globalization;
using GitOps.Git.Source;
using GitOps.Testing;

namespace GitOps.Benchmarks.Scenarios;

/// <summary>
/// <c>git [--files 10000] [--runs 3]</c>: the first fetch and an incremental fetch of a config repository of N YAML files
/// with <see cref="GitSourceClient"/> (libgit2), against <c>git clone --mirror</c> and <c>git fetch</c> of the same
/// repository on the same machine, over loopback smart HTTP and over <c>file://</c>; then reading every file of the
/// commit from the mirror. Not a timed test: it prints numbers (median of the runs) and peak memory.
/// </summary>
public static class GitFetchScenario
{
    /// <summary>Runs the scenario; returns 0, or 2 when libgit2 is slower than twice the CLI on a first or incremental fetch.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var files = IntOption(args, "--files", 10_000);
        var runs = IntOption(args, "--runs", 3);
        Console.WriteLine($"git fetch scenario: {files} files, {runs} runs, {MachineInfo.Describe()}, load {MachineInfo.LoadAverage()}");

        using var origin = GitRepositoryBuilder.Create();
        var build = Stopwatch.StartNew();
        for (var i = 0; i < files; i++)
        {
            origin.WriteFile($"envs/prod/app{i / 100:D3}/resource{i:D5}.yaml", Manifest(i, "v1"));
        }

        origin.WriteFile("gitops.yaml", "environments:\n  - name: prod\n    path: envs/prod\n");
        origin.Commit("10k files");
        Console.WriteLine($"repository built in {build.Elapsed.TotalSeconds:F1} s; bench process peak RSS before any fetch {PeakRssMb():F0} MB");

        using var server = new SmartHttpGitServer(origin.RepositoryPath);
        var missed = false;
        foreach (var (transport, url) in new[] { ("http", server.Url), ("file", origin.Url) })
        {
            var rows = new List<Row>();
            for (var run = 0; run < runs; run++)
            {
                rows.Add(await MeasureAsync(origin, url, files, run));
            }

            var median = Median(rows);
            Console.WriteLine();
            Console.WriteLine($"transport {transport} (median of {runs}):");
            Console.WriteLine($"| operation | libgit2 (GitSourceClient) | git CLI | ratio |");
            Console.WriteLine($"|---|---:|---:|---:|");
            Console.WriteLine($"| first fetch | {median.LibFirst:F2} s | {median.CliFirst:F2} s (clone --mirror) | {median.LibFirst / median.CliFirst:F2} |");
            Console.WriteLine($"| incremental fetch (10 files changed) | {median.LibIncremental:F2} s | {median.CliIncremental:F2} s (fetch) | {median.LibIncremental / median.CliIncremental:F2} |");
            Console.WriteLine($"| read every file at the commit | {median.LibRead:F2} s | | |");
            Console.WriteLine($"peak RSS: bench process {PeakRssMb():F0} MB so far (whole .NET process, runtime and HTTP server included); git CLI clone {median.CliFirstRssMb:F0} MB, fetch {median.CliIncrementalRssMb:F0} MB (largest process of the tree)");
            missed |= median.LibFirst > 2 * median.CliFirst || median.LibIncremental > 2 * median.CliIncremental;
        }

        Console.WriteLine($"load at the end {MachineInfo.LoadAverage()}");
        return missed ? 2 : 0;
    }

    private static async Task<Row> MeasureAsync(GitRepositoryBuilder origin, string url, int files, int run)
    {
        var temp = Directory.CreateTempSubdirectory("gitops-bench-git-").FullName;
        try
        {
            // Each run starts from the same first commit on a fresh branch, so first and incremental fetches repeat.
            var branch = $"bench{run}";
            origin.Git("branch", "-f", branch, "main");
            var repository = new GitRepositoryOptions { Url = url };
            var client = new GitSourceClient(new GitSourceOptions { CacheRoot = Path.Combine(temp, "cache"), MaxFileCount = files + 2 });

            var watch = Stopwatch.StartNew();
            var tip = await client.FetchAsync(repository, branch);
            var libFirst = watch.Elapsed.TotalSeconds;

            watch.Restart();
            var tree = await client.ReadFilesAsync(repository, tip, "envs/prod");
            var libRead = watch.Elapsed.TotalSeconds;
            if (tree.ListFiles("").Count != files + 1)
            {
                throw new InvalidOperationException($"read {tree.ListFiles("").Count} files, expected {files + 1}");
            }

            var mirror = Path.Combine(temp, "cli.git");
            var (cliFirst, cliFirstRss) = TimeGit(temp, "clone", "--mirror", "--quiet", url, mirror);

            // Incremental: 10 files change in one new commit on the branch.
            origin.Checkout(branch);
            for (var i = 0; i < 10; i++)
            {
                origin.WriteFile($"envs/prod/app{i:D3}/resource{i * 100:D5}.yaml", Manifest(i * 100, $"run{run}"));
            }

            origin.Commit($"change 10 files ({branch})");
            origin.Checkout("main");

            watch.Restart();
            await client.FetchAsync(repository, branch);
            var libIncremental = watch.Elapsed.TotalSeconds;
            var (cliIncremental, cliIncrementalRss) = TimeGit(temp, "-C", mirror, "fetch", "--quiet");
            return new Row(libFirst, libIncremental, libRead, cliFirst, cliIncremental, cliFirstRss, cliIncrementalRss);
        }
        finally
        {
            GitRepositoryBuilder.DeleteDirectory(temp);
        }
    }

    // GNU time reports the wall time and the largest resident set of the process tree it waited for.
    private static (double Seconds, double RssMb) TimeGit(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in (string[])["-f", "%e %M", "git", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {errors}");
        }

        var fields = errors.Trim().Split('\n')[^1].Split(' ');
        return (double.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture) / 1024);
    }

    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static Row Median(List<Row> rows)
    {
        static double M(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }

        return new Row(
            M(rows.Select(r => r.LibFirst)), M(rows.Select(r => r.LibIncremental)), M(rows.Select(r => r.LibRead)),
            M(rows.Select(r => r.CliFirst)), M(rows.Select(r => r.CliIncremental)),
            M(rows.Select(r => r.CliFirstRssMb)), M(rows.Select(r => r.CliIncrementalRssMb)));
    }

    private static string Manifest(int i, string version) => $"""
        type: Microsoft.Storage/storageAccounts@2023-05-01
        name: st{i:D5}
        resourceGroup: rg-{i / 100:D3}
        location: westeurope
        sku: {"{"} name: Standard_LRS {"}"}
        kind: StorageV2
        tags:
          owner: team-{i % 17}
          costCenter: cc-{i % 23:D4}
          version: {version}
        properties:
          minimumTlsVersion: TLS1_2
          allowBlobPublicAccess: false
          supportsHttpsTrafficOnly: true
          networkAcls:
            defaultAction: Deny
            ipRules:
              - value: 10.{i % 250}.{i / 250 % 250}.0/24
        """;

    private static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private sealed record Row(double LibFirst, double LibIncremental, double LibRead, double CliFirst, double CliIncremental, double CliFirstRssMb, double CliIncrementalRssMb);
}
