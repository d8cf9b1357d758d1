using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.Functions.Tests.Harness.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GitOps.Functions.Tests.Harness;

/// <summary>
/// Plays the Azure Functions host over its gRPC protocol (docs/functions-app.md, "Testing under the host's protocol"):
/// serves <c>FunctionRpc</c> on h2c loopback, launches the published worker the way the host does (its command line,
/// its environment, the app directory), completes the handshake (StartStream, WorkerInitRequest,
/// FunctionsMetadataRequest, one FunctionLoadRequest per function) and invokes functions as the host does.
/// </summary>
/// <remarks>
/// What the host itself does around the worker — queue polling, retries, poison queues, timer schedules, HTTP keys —
/// is not played here, except for the queue listener of <see cref="HostQueueListener"/>.
/// </remarks>
internal sealed class FunctionsHostHarness : IAsyncDisposable
{
    /// <summary>The host version the harness announces (the source it follows: azure-functions-host v4.1037).</summary>
    public const string HostVersion = "4.1037.0.0";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_invocationTimeout = TimeSpan.FromMinutes(2);

    private readonly WebApplication _server;
    private readonly HostChannel _channel;
    private readonly Process _worker;
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, RpcFunctionMetadata> _functions;
    private readonly HttpClient _http = new() { Timeout = s_invocationTimeout };

    private FunctionsHostHarness(WebApplication server, HostChannel channel, Process worker, string appDirectory, IReadOnlyDictionary<string, string> settings)
    {
        _server = server;
        _channel = channel;
        _worker = worker;
        AppDirectory = appDirectory;
        Settings = settings;
        _functions = [];
    }

    /// <summary>The published app the worker runs from.</summary>
    public string AppDirectory { get; }

    /// <summary>The app settings the worker was started with.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The worker's answer to <c>WorkerInitRequest</c> (its capabilities, <c>HttpUri</c> among them).</summary>
    public WorkerInitResponse Init { get; private set; } = null!;

    /// <summary>The functions the worker indexed, by name.</summary>
    public IReadOnlyDictionary<string, RpcFunctionMetadata> Functions => _functions;

    /// <summary>Where the worker's own HTTP listener is (the host forwards HTTP requests there).</summary>
    public Uri HttpUri { get; private set; } = null!;

    /// <summary>The worker's logs so far (RpcLog messages).</summary>
    public IReadOnlyList<RpcLog> Logs => _channel.Logs;

    /// <summary>What the worker process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>True while the worker process runs.</summary>
    public bool IsRunning => !_worker.HasExited;

    /// <summary>Publishes the worker (once per test run), launches it with <paramref name="settings"/> and completes the handshake.</summary>
    /// <param name="settings">App settings, as the host passes them: environment variables with <c>__</c> in nested names.</param>
    public static async Task<FunctionsHostHarness> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var appDirectory = await WorkerApp.DirectoryAsync().ConfigureAwait(false);
        var channel = new HostChannel();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(channel);
        var server = builder.Build();
        server.MapGrpcService<HostRpcService>();
        await server.StartAsync().ConfigureAwait(false);
        var address = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var worker = Launch(appDirectory, address, settings);
        var harness = new FunctionsHostHarness(server, channel, worker, appDirectory, settings);
        worker.OutputDataReceived += (_, e) => harness.Append(e.Data);
        worker.ErrorDataReceived += (_, e) => harness.Append(e.Data);
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            await harness.HandshakeAsync().ConfigureAwait(false);
        }
        catch
        {
            await harness.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return harness;
    }

    /// <summary>
    /// The host's command line for a dotnet-isolated worker (worker.config.json's <c>defaultExecutablePath</c> and
    /// <c>defaultWorkerPath</c>, then both argument sets of <c>RpcWorkerContext.GetFormattedArguments</c>) and its
    /// environment (the app settings, the worker and app directories).
    /// </summary>
    private static Process Launch(string appDirectory, Uri host, IReadOnlyDictionary<string, string> settings)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(appDirectory, "worker.config.json")))!["description"]!;
        var executable = config["defaultExecutablePath"]!.GetValue<string>().Replace("{WorkerRoot}", appDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var workerPath = config["defaultWorkerPath"]!.GetValue<string>();
        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        var maxMessage = int.MaxValue.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(executable, "dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(Path.Combine(appDirectory, workerPath));
        }

        foreach (var argument in new[]
        {
            "--host", host.Host, "--port", host.Port.ToString(CultureInfo.InvariantCulture), "--workerId", workerId, "--requestId", requestId,
            "--grpcMaxMessageLength", maxMessage,
            "--functions-uri", host.ToString(), "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", maxMessage,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_WORKER_RUNTIME_VERSION"] = "10.0";
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
    }

    private async Task HandshakeAsync()
    {
        using var timeout = new CancellationTokenSource(s_startTimeout);
        await WaitAsync(_channel.Started.Task, "StartStream", timeout.Token).ConfigureAwait(false);
        await _channel.SendAsync(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = HostVersion,
                WorkerDirectory = AppDirectory,
                FunctionAppDirectory = AppDirectory,
            },
        }, timeout.Token).ConfigureAwait(false);
        Init = await WaitAsync(_channel.Initialized.Task, "WorkerInitResponse", timeout.Token).ConfigureAwait(false);
        if (Init.Result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"WorkerInitResponse failed: {Init.Result.Exception?.Message}\n{Output}");
        }

        HttpUri = new Uri(Init.Capabilities["HttpUri"]);
        await _channel.SendAsync(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = AppDirectory },
        }, timeout.Token).ConfigureAwait(false);
        var indexed = await WaitAsync(_channel.Indexed.Task, "FunctionMetadataResponse", timeout.Token).ConfigureAwait(false);
        if (indexed.Result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"Indexing failed: {indexed.Result.Exception?.Message}\n{Output}");
        }

        // No SupportsLoadResponseCollection: the host sends one load request per function and waits for each answer.
        foreach (var function in indexed.FunctionMetadataResults)
        {
            _functions[function.Name] = function;
            var loaded = _channel.ExpectLoad(function.FunctionId);
            await _channel.SendAsync(new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
            }, timeout.Token).ConfigureAwait(false);
            var load = await WaitAsync(loaded, $"FunctionLoadResponse for {function.Name}", timeout.Token).ConfigureAwait(false);
            if (load.Result.Status != StatusResult.Types.Status.Success)
            {
                throw new InvalidOperationException($"Loading {function.Name} failed: {load.Result.Exception?.Message}\n{Output}");
            }
        }
    }

    /// <summary>
    /// Invokes a queue function as the host's queue trigger does: the decoded message text as the <c>string</c>
    /// input, and the trigger metadata of a Storage queue message (<c>DequeueCount</c> and the times as JSON, as the
    /// host serializes longs and DateTimeOffsets).
    /// </summary>
    public Task<InvocationResponse> InvokeQueueAsync(string function, string text, long dequeueCount, string messageId, DateTimeOffset insertedOn, string popReceipt = "pop")
    {
        static TypedData Json(object value) => new() { Json = System.Text.Json.JsonSerializer.Serialize(value) };
        var request = NewInvocation(function);
        var binding = Binding(function, "queueTrigger");
        request.InputData.Add(new ParameterBinding { Name = binding, Data = new TypedData { String = text } });
        request.TriggerMetadata["QueueTrigger"] = new TypedData { String = text };
        request.TriggerMetadata["DequeueCount"] = Json(dequeueCount);
        request.TriggerMetadata["Id"] = new TypedData { String = messageId };
        request.TriggerMetadata["PopReceipt"] = new TypedData { String = popReceipt };
        request.TriggerMetadata["InsertionTime"] = Json(insertedOn);
        request.TriggerMetadata["ExpirationTime"] = Json(insertedOn.AddDays(7));
        request.TriggerMetadata["NextVisibleTime"] = Json(DateTimeOffset.UtcNow.AddMinutes(10));
        return InvokeAsync(request);
    }

    /// <summary>Invokes a timer function with the JSON the host sends for a <c>TimerInfo</c>.</summary>
    public Task<InvocationResponse> InvokeTimerAsync(string function, bool isPastDue = false)
    {
        var request = NewInvocation(function);
        var now = DateTimeOffset.UtcNow;
        var timer = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject { ["Last"] = now.AddMinutes(-1).ToString("O"), ["Next"] = now.AddMinutes(1).ToString("O"), ["LastUpdated"] = now.ToString("O") },
            ["IsPastDue"] = isPastDue,
        };
        request.InputData.Add(new ParameterBinding { Name = Binding(function, "timerTrigger"), Data = new TypedData { Json = timer.ToJsonString() } });
        return InvokeAsync(request);
    }

    /// <summary>
    /// Invokes an HTTP function as the host does with the ASP.NET Core integration: an <c>InvocationRequest</c> with
    /// an empty <c>RpcHttp</c> input and the route values as trigger metadata, and the original request forwarded to
    /// the worker's listener (same path and query) with <c>x-ms-invocation-id</c>.
    /// </summary>
    public async Task<(HttpResponseMessage Response, InvocationResponse Invocation)> InvokeHttpAsync(string function, HttpRequestMessage request, IReadOnlyDictionary<string, string>? routeValues = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var invocation = NewInvocation(function);
        invocation.InputData.Add(new ParameterBinding { Name = Binding(function, "httpTrigger"), Data = new TypedData { Http = new RpcHttp() } });
        foreach (var (name, value) in routeValues ?? new Dictionary<string, string>())
        {
            invocation.TriggerMetadata[name] = new TypedData { String = value };
        }

        request.RequestUri = new Uri(HttpUri, request.RequestUri!.PathAndQuery);
        request.Headers.Add("x-ms-invocation-id", invocation.InvocationId);
        var invoked = InvokeAsync(invocation);
        var response = await _http.SendAsync(request).ConfigureAwait(false);
        return (response, await invoked.ConfigureAwait(false));
    }

    /// <summary>Kills the worker process at once (a machine failing mid-invocation).</summary>
    public async Task KillWorkerAsync()
    {
        _worker.Kill(entireProcessTree: true);
        await _worker.WaitForExitAsync().ConfigureAwait(false);
    }

    private InvocationRequest NewInvocation(string function) => new()
    {
        InvocationId = Guid.NewGuid().ToString(),
        FunctionId = Functions.TryGetValue(function, out var metadata) ? metadata.FunctionId : throw new ArgumentException($"The worker indexed no function '{function}'.", nameof(function)),
        TraceContext = new RpcTraceContext { TraceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid().ToString("N")[..16]}-01", TraceState = string.Empty },
    };

    /// <summary>The name of a function's trigger binding (the parameter the host fills).</summary>
    private string Binding(string function, string triggerType) =>
        Functions[function].Bindings.Single(b => string.Equals(b.Value.Type, triggerType, StringComparison.OrdinalIgnoreCase)).Key;

    /// <summary>Raised when an invocation request has been written to the worker (before its response).</summary>
    public event Action<InvocationRequest>? Sent;

    private async Task<InvocationResponse> InvokeAsync(InvocationRequest request)
    {
        var response = _channel.ExpectInvocation(request.InvocationId);
        await _channel.SendAsync(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = request }).ConfigureAwait(false);
        Sent?.Invoke(request);
        using var timeout = new CancellationTokenSource(s_invocationTimeout);
        return await WaitAsync(response, $"InvocationResponse {request.InvocationId}", timeout.Token).ConfigureAwait(false);
    }

    private async Task<T> WaitAsync<T>(Task<T> task, string what, CancellationToken cancellationToken)
    {
        var exited = _worker.WaitForExitAsync(cancellationToken);
        var done = await Task.WhenAny(task, exited).ConfigureAwait(false);
        if (done == task)
        {
            return await task.ConfigureAwait(false);
        }

        throw cancellationToken.IsCancellationRequested
            ? new TimeoutException($"No {what} from the worker in time.\n{Output}")
            : new InvalidOperationException($"The worker exited ({_worker.ExitCode}) before {what}.\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Sends <c>WorkerTerminate</c> as the host does at shutdown and waits for the worker to exit (killing it past the grace period).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_worker.HasExited)
        {
            try
            {
                await _channel.SendAsync(new StreamingMessage
                {
                    RequestId = Guid.NewGuid().ToString(),
                    WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) },
                }).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The stream is already gone; the kill below ends the process.
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _worker.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _worker.Kill(entireProcessTree: true);
                await _worker.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        _worker.Dispose();
        _http.Dispose();
        await _server.StopAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
    }
}
