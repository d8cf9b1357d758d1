using GitOps.Functions;
using GitOps.Hosting.Standalone;

// The Azure Functions custom handler. The host starts it with FUNCTIONS_CUSTOMHANDLER_PORT and the app settings as
// environment variables; `handler --port 7072 [--settings local.settings.json]` runs it without the host.
int port;
try
{
    port = HandlerPort.Resolve(args, Environment.GetEnvironmentVariable);
}
catch (InvalidOperationException error)
{
    await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
    return 2;
}

var settingsIndex = Array.IndexOf(args, "--settings");
string? settingsFile = null;
if (settingsIndex >= 0)
{
    if (settingsIndex + 1 >= args.Length)
    {
        await Console.Error.WriteLineAsync("--settings needs a value: the path of a local.settings.json.").ConfigureAwait(false);
        return 2;
    }

    settingsFile = args[settingsIndex + 1];
}

WebApplication app;
try
{
    app = await HandlerApp.BuildAsync(SettingsSources.Build(settingsFile), port).ConfigureAwait(false);
}
catch (Exception error) when (error is InvalidOperationException or Azure.RequestFailedException or HttpRequestException)
{
    // stderr is what the host logs as errors; the message names the settings to fix, never their values.
    await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
    return 1;
}

await app.RunAsync().ConfigureAwait(false);
return 0;
