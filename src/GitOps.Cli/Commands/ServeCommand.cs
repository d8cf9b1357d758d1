using System.CommandLine;
using GitOps.Hosting.Standalone;
using Microsoft.Extensions.Hosting;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops serve [--settings local.settings.json] [--port 7071]</c>: run the reconciler without the Functions host —
/// queue listeners, drift timer and HTTP endpoints — configured like the Functions app.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var settingsFile = new Option<string?>("--settings")
        {
            Description = "A local.settings.json (the file `func start` reads); its Values are the settings. Environment variables override it.",
            HelpName = "FILE",
        };
        var port = new Option<int>("--port", "-p") { Description = "HTTP port for the webhook and api endpoints.", DefaultValueFactory = _ => 7071 };
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on. Without an API key (GitOps__ApiKey or GitOps__ApiKeys__<name>) only a loopback address is accepted.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var command = new Command("serve", "Run the reconciler standalone: the same functions as the Functions app, driven by its own queue listener, NCRONTAB timer and HTTP endpoints.")
        {
            settingsFile, port, host,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetRequiredValue(host);

            // An IPv6 address (::1, ::) goes in brackets in a URL.
            var url = address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[')
                ? $"http://[{address}]:{parse.GetValue(port)}"
                : $"http://{address}:{parse.GetValue(port)}";
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                var configuration = SettingsSources.Build(parse.GetValue(settingsFile));
                app = await ServeHost.BuildAsync(configuration, url, cancellationToken: cancellationToken);
            }
            catch (InvalidOperationException error)
            {
                console.Error.WriteLine($"error: {error.Message}");
                return ExitCodes.Error;
            }

            await using (app)
            {
                await app.StartAsync(cancellationToken);
                console.Error.WriteLine($"gitops serve listening on {url} (webhook: POST {url}/api/webhook). Ctrl+C stops it; jobs in flight finish or are released.");
                // Ends on Ctrl+C (our token) or SIGTERM (the host's own shutdown signal, as in containers).
                await app.WaitForShutdownAsync(cancellationToken);
                await app.StopAsync(CancellationToken.None);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
