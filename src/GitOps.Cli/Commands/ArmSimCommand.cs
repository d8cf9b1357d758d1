using System.CommandLine;
using System.Runtime.InteropServices;
using GitOps.ArmSimulator;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops armsim --port PORT [--latency-ms N] [--seed DIR] [--cert-out FILE] [--async-style TYPE=STYLE] [--no-throttling]
/// [--events-queue NAME [--events-storage CONNECTION] [--events-plain] [--events-cloudevents]]</c>:
/// runs the local ARM simulator over HTTPS until Ctrl+C or SIGTERM, printing the URL and how to point the CLI at it.
/// </summary>
internal static class ArmSimCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on (0: any free port).", HelpName = "PORT", DefaultValueFactory = _ => 0 };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every request, in milliseconds.", HelpName = "N", DefaultValueFactory = _ => 0 };
        var seed = new Option<string?>("--seed") { Description = "Folder of ARM GET bodies (*.json with an id) to start with.", HelpName = "DIR" };
        var certOut = new Option<string?>("--cert-out") { Description = "Write the simulator's certificate (PEM) here, for --arm-ca-cert.", HelpName = "FILE" };
        var noThrottling = new Option<bool>("--no-throttling") { Description = "Turn off ARM's token-bucket throttling model (on by default: reads 250 + 25/s, writes and deletes 200 + 10/s per subscription)." };
        var asyncStyles = new Option<string[]>("--async-style")
        {
            Description = "How PUT/DELETE of a type complete: TYPE=synchronous|azureAsyncOperation|location|provisioningState|nonStandardCreated|failed (repeatable).",
            HelpName = "TYPE=STYLE",
            DefaultValueFactory = _ => [],
        };
        var eventsQueue = new Option<string?>("--events-queue") { Description = "Deliver the ARM event of every successful write and delete to this storage queue, as an Event Grid subscription does (e.g. arm-events).", HelpName = "NAME" };
        var eventsStorage = new Option<string>("--events-storage") { Description = "The storage connection string of --events-queue (default: Azurite on its default ports).", HelpName = "CONNECTION", DefaultValueFactory = _ => "UseDevelopmentStorage=true" };
        var eventsPlain = new Option<bool>("--events-plain") { Description = "Store events as plain JSON instead of Base64 of it." };
        var eventsCloud = new Option<bool>("--events-cloudevents") { Description = "Use the CloudEvents 1.0 schema instead of the Event Grid schema." };
        var command = new Command("armsim", "Run a local ARM-compatible HTTPS server for development, tests and demos (no schema validation; see docs/arm-simulator.md).")
        {
            port, latency, seed, certOut, noThrottling, asyncStyles, eventsQueue, eventsStorage, eventsPlain, eventsCloud,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ArmSimulatorOptions
            {
                Port = parse.GetValue(port),
                Latency = TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(latency))),
                SeedDirectory = parse.GetValue(seed),
                CertificateOutputPath = parse.GetValue(certOut),
            };
            options.Throttling.Enabled = !parse.GetValue(noThrottling);
            if (parse.GetValue(eventsQueue) is { Length: > 0 } queueName)
            {
                options.Events = new GitOps.ArmSimulator.Events.ArmEventDestination
                {
                    ConnectionString = parse.GetValue(eventsStorage)!,
                    QueueName = queueName,
                    Base64 = !parse.GetValue(eventsPlain),
                    Schema = parse.GetValue(eventsCloud) ? GitOps.ArmSimulator.Events.ArmEventSchema.CloudEvents : GitOps.ArmSimulator.Events.ArmEventSchema.EventGrid,
                };
            }

            foreach (var pair in parse.GetValue(asyncStyles) ?? [])
            {
                var equals = pair.LastIndexOf('=');
                if (equals <= 0 || !Enum.TryParse<ArmAsyncStyle>(pair[(equals + 1)..], ignoreCase: true, out var style))
                {
                    console.Error.WriteLine($"error: --async-style '{pair}' is not TYPE=STYLE (styles: {string.Join(", ", Enum.GetNames<ArmAsyncStyle>())}).");
                    return ExitCodes.Error;
                }

                options.AsyncStyles[pair[..equals]] = style;
            }

            ArmSimulatorServer server;
            try
            {
                server = await ArmSimulatorServer.StartAsync(options, cancellationToken);
            }
            catch (Exception error) when (error is IOException or InvalidOperationException or DirectoryNotFoundException)
            {
                console.Error.WriteLine($"error: the simulator could not start: {error.Message}");
                return ExitCodes.Error;
            }

            await using (server)
            {
                // SIGTERM (docker stop, systemd, a test harness) must end the simulator as Ctrl+C does: its empty web
                // host has no console lifetime, so without this registration nothing would end the wait below. It is
                // registered before the URL is printed: whoever reads the URL may signal at once.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
                {
                    context.Cancel = true;
                    stop.Cancel();
                });
                console.Out.WriteLine(server.Endpoint.ToString());
                var pem = options.CertificateOutputPath ?? "<pem>";
                console.Error.WriteLine($"ARM simulator listening on {server.Endpoint} ({server.State.ResourceIds.Count} seeded resource(s)); Ctrl+C or SIGTERM stops it.");
                if (options.Events is { } events)
                {
                    console.Error.WriteLine($"ARM events of writes and deletes go to queue '{events.QueueName}' ({(events.Base64 ? "Base64" : "plain JSON")}, {events.Schema} schema).");
                }

                console.Error.WriteLine($"Use it with: gitops plan PATH --arm-endpoint {server.Endpoint} --arm-ca-cert {pem} --arm-token any");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or SIGTERM: stop cleanly (the server is disposed below).
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
