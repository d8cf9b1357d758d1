using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator;
using GitOps.Cli.Output;
using GitOps.Core.Planning;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Hosting;
using GitOps.Hosting.Standalone;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using GitOps.DevEnvironment;

namespace GitOps.Cli.Quickstart;

/// <summary>
/// One run of <c>gitops quickstart</c>: Azurite, the ARM simulator, a sample config repository and <c>gitops serve</c>,
/// all local and private to this run, then a push delivered as a signed webhook and an out-of-band change corrected by
/// the drift timer. Everything it starts is stopped and deleted on dispose.
/// </summary>
internal sealed class QuickstartSession(CliConsole console, string repositoryRoot) : IAsyncDisposable
{
    /// <summary>The number of steps printed.</summary>
    public const int Steps = 9;

    /// <summary>The repository's <c>owner/name</c> as the (simulated) git host reports it.</summary>
    public const string FullName = "quickstart/platform-config";

    private const string RepositoryName = "platform";

    // The first drift tick is placed this long after serve starts: enough for the push to be applied and the
    // out-of-band change to be made first, so the tick finds the never-checked environment due (see README).
    private static readonly TimeSpan s_firstDriftTickLead = TimeSpan.FromSeconds(15);

    private readonly TextWriter _out = console.Out;
    private readonly string _root = Directory.CreateTempSubdirectory("gitops-quickstart-").FullName;
    private readonly string _secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    private AzuriteProcess? _azurite;
    private ArmSimulatorServer? _simulator;
    private WebApplication? _serve;
    private SampleRepository? _repository;
    private string? _serveUrl;
    private string? _certificatePath;

    /// <summary>
    /// Cancelled when serve's host is asked to stop by a signal (its console lifetime handles SIGTERM and SIGINT), so
    /// the quick start stops and cleans up as it does on Ctrl+C.
    /// </summary>
    public CancellationToken Stopping => _serve?.Lifetime.ApplicationStopping ?? CancellationToken.None;

    /// <summary>Whether the process was asked to stop (signal), as opposed to timing out.</summary>
    public bool StopRequested => _serve?.Lifetime.ApplicationStopping.IsCancellationRequested == true;

    /// <summary>The progress printer (its current step names a failure).</summary>
    public QuickstartProgress Progress { get; } = new(console.Out, Steps);

    /// <summary>Runs the steps; throws on the first that fails.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _out.WriteLine("GitOpsFunctions quick start: everything runs on this machine (Azurite, a local ARM, a local git remote).");

        Progress.Begin(1, "Start Azurite (Azure Storage emulator)");
        // The pinned Azurite of this checkout (npm ci from package-lock.json when node_modules is missing).
        var executable = await AzuriteInstaller.EnsureInstalledAsync(repositoryRoot, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        _azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions(executable), cancellationToken: cancellationToken).ConfigureAwait(false);
        Progress.Done("queues, blobs and tables in memory on free ports");

        Progress.Begin(2, "Start the ARM simulator (HTTPS, throttling on)");
        _certificatePath = Path.Combine(_root, "armsim.pem");
        var options = new ArmSimulatorOptions { Port = 0, CertificateOutputPath = _certificatePath };
        options.Throttling.Enabled = true;
        _simulator = await ArmSimulatorServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        Progress.Done($"{_simulator.Endpoint} (certificate {_certificatePath})");

        Progress.Begin(3, "Create the sample config repository from examples/");
        var (repository, initial) = await SampleRepository.CreateAsync(Path.Combine(repositoryRoot, "examples"), _root, cancellationToken).ConfigureAwait(false);
        _repository = repository;
        Progress.Note($"remote {repository.Remote} (bare), clone {repository.Clone}");
        Progress.Done($"commit {initial[..7]} \"Initial platform config\": environment '{SampleRepository.Environment}', drift every 1m");

        Progress.Begin(4, "Start gitops serve (webhook, queue listener, drift timer)");
        var firstTick = DateTimeOffset.UtcNow + s_firstDriftTickLead;
        var schedule = string.Create(CultureInfo.InvariantCulture, $"{firstTick.Second} * * * * *");
        var configuration = SettingsSources.Build(null, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            [$"GitOps__Repositories__{RepositoryName}__Url"] = repository.Remote,
            [$"GitOps__Repositories__{RepositoryName}__FullName"] = FullName,
            [$"GitOps__Repositories__{RepositoryName}__WebhookSecret"] = _secret,
            ["GitOps__Arm__Endpoint"] = _simulator.Endpoint.ToString(),
            ["GitOps__Arm__CaCertificatePath"] = _certificatePath,
            ["GitOps__Arm__Token"] = "quickstart-simulator-token",
            ["GitOps__GitCacheRoot"] = Path.Combine(_root, "git-cache"),
            ["GitOps__DriftSchedule"] = schedule,
            ["GitOps__Queue__MaxPollingInterval"] = "00:00:00.500",
        });
        // Port 0: Kestrel takes a free port when it binds, so nothing can take it between choosing and listening.
        _serve = await ServeHost.BuildAsync(configuration, "http://127.0.0.1:0", cancellationToken: cancellationToken).ConfigureAwait(false);
        await _serve.StartAsync(cancellationToken).ConfigureAwait(false);
        _serveUrl = _serve.Urls.First();

        // From here a SIGTERM reaches serve's host first; stop the remaining steps with it.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _serve.Lifetime.ApplicationStopping);
        cancellationToken = stopping.Token;
        var runs = _serve.Services.GetRequiredService<GitOpsRuntime>().Storage.Runs;
        Progress.Done($"{_serveUrl}, drift timer '{schedule}' (first tick {firstTick:HH:mm:ss} UTC)");

        Progress.Begin(5, "Commit a change and git push");
        var pushed = await repository.PushTagChangeAsync("reviewedBy", "quickstart", cancellationToken).ConfigureAwait(false);
        Progress.Done($"commit {pushed[..7]} adds tag reviewedBy=quickstart to the storage account ({SampleRepository.ChangedFile})");

        Progress.Begin(6, "Deliver the push webhook (GitHub format, HMAC-signed)");
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            using var request = GitHubPushDelivery.Create(new Uri(_serveUrl + "/api/webhook"), _secret, FullName, initial, pushed, "Tag the storage account", [SampleRepository.ChangedFile], out var deliveryId);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            Progress.Note($"POST {_serveUrl}/api/webhook (delivery {deliveryId})");
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"the webhook answered {(int)response.StatusCode}, expected 202: {body}");
            }

            Progress.Done($"webhook answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
        }

        Progress.Begin(7, $"Wait for the run of {pushed[..7]}");
        var applied = await WaitForRunAsync(
            runs,
            r => r.Trigger == RunTrigger.Push && !r.Transient && string.Equals(r.RequestedCommit ?? r.Commit?.Sha, pushed, StringComparison.OrdinalIgnoreCase),
            cancellationToken).ConfigureAwait(false);
        if (applied.Outcome != RunOutcome.Applied)
        {
            throw new InvalidOperationException($"the run of {pushed[..7]} ended {applied.Outcome}: {applied.Summary} {string.Join(' ', applied.Errors)}");
        }

        Progress.Note("the environment had never been reconciled, so this first run creates every resource of the commit (tag included):");
        _out.WriteLine();
        RunTableWriter.WriteRun(_out, applied, console.Color);
        Progress.Done($"run {applied.RunId} applied commit {pushed[..7]}");

        Progress.Begin(8, "Change the storage account out of band (as someone in the portal would)");
        var storageId = _simulator.State.ResourceIds.FirstOrDefault(id => id.Contains("/providers/Microsoft.Storage/storageAccounts/", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("the simulator holds no storage account after the applied run.");
        var changedAt = DateTimeOffset.UtcNow;
        if (!_simulator.State.SetOutOfBand(storageId, new JsonObject { ["tags"] = new JsonObject { ["owner"] = "someone-in-the-portal" } }))
        {
            throw new InvalidOperationException($"the simulator has no {storageId}.");
        }

        Progress.Done($"tag owner=someone-in-the-portal on {storageId}");

        Progress.Begin(9, "Wait for the drift timer to find and correct it");
        Progress.Note(DateTimeOffset.UtcNow < firstTick
            ? $"the timer's first tick is at {firstTick:HH:mm:ss} UTC; the environment has never been drift-checked, so that tick enqueues a drift job"
            : "the timer's first tick has passed; the next check is due one drift interval (1m) after it");
        var corrected = await WaitForRunAsync(
            runs,
            r => r.Trigger == RunTrigger.Drift && r.StartedAt >= changedAt && r.Outcome == RunOutcome.Applied && Updates(r, storageId),
            cancellationToken).ConfigureAwait(false);
        _out.WriteLine();
        RunTableWriter.WriteRun(_out, corrected, console.Color);
        Progress.Done($"drift corrected by run {corrected.RunId} (trigger drift)");
        _out.WriteLine();
        _out.WriteLine($"Quick start succeeded in {Progress.Elapsed}: push -> webhook 202 -> run applied; out-of-band change -> drift timer -> corrected.");
    }

    /// <summary>Prints how to use the CLI against what is still running (for <c>--keep</c>).</summary>
    public void PrintHowToUse()
    {
        var connection = _azurite?.ConnectionString ?? string.Empty;
        _out.WriteLine();
        _out.WriteLine("Everything keeps running until Ctrl+C. In another terminal:");
        _out.WriteLine($"  export AzureWebJobsStorage='{connection}'");
        _out.WriteLine("  dotnet run --project src/GitOps.Cli -- runs list");
        _out.WriteLine("  dotnet run --project src/GitOps.Cli -- runs show RUN-ID");
        _out.WriteLine($"  dotnet run --project src/GitOps.Cli -- sync --env {SampleRepository.Environment}");
        _out.WriteLine($"  dotnet run --project src/GitOps.Cli -- plan {_repository?.Clone}/ --env {SampleRepository.Environment} --arm-endpoint {_simulator?.Endpoint} --arm-ca-cert {_certificatePath} --arm-token any");
        _out.WriteLine($"  curl {_serveUrl}/api/environments");
        _out.WriteLine($"Commit and push in {_repository?.Clone}; the drift timer (every minute) picks the change up from {_repository?.Remote}.");
    }

    /// <summary>Stops serve, the simulator and Azurite, and deletes the temporary folders.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _serve.StopAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Jobs in flight did not finish in time; disposing the host stops them.
            }

            await _serve.DisposeAsync().ConfigureAwait(false);
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync().ConfigureAwait(false);
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync().ConfigureAwait(false);
        }

        DeleteFolder(_root);
    }

    private static bool Updates(RunRecord run, string resourceId) =>
        run.Plan is { } plan
        && plan.Changes.Any(c => c.Action == PlanAction.Update && string.Equals(c.Id, resourceId, StringComparison.OrdinalIgnoreCase));

    private static async Task<RunRecord> WaitForRunAsync(IRunStore runs, Func<RunRecord, bool> wanted, CancellationToken cancellationToken)
    {
        // Bounded by the caller's token (the --timeout deadline or Ctrl+C).
        while (true)
        {
            // A run's Running record comes first; wait for its final one.
            var recent = await runs.ListAsync(null, 50, cancellationToken).ConfigureAwait(false);
            if (recent.FirstOrDefault(r => r.Outcome != RunOutcome.Running && wanted(r)) is { } run)
            {
                return run;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    private static void DeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                // git marks its objects read-only; clear that so the folder can go on every OS.
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is harmless; the message says where it is.
            Console.Error.WriteLine($"warning: could not delete {path}: {error.Message}");
        }
    }
}
