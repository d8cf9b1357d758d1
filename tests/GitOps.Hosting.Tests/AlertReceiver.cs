using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Tests;

/// <summary>
/// A local HTTP receiver standing in for a webhook, Teams or Slack endpoint: Kestrel on a free loopback port that
/// records every request and answers from a per-path script (then 200), so retries can be exercised.
/// </summary>
internal sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string? RetryAfter)>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _always = new(StringComparer.Ordinal);

    private AlertReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, string ContentType, JsonNode? Body)> Requests { get; } = new();

    public Uri Address { get; private set; } = null!;

    public static async Task<AlertReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new AlertReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Address = ApiServer.Address(app);
        return receiver;
    }

    public Uri Url(string path) => new(Address, path);

    /// <summary>The next requests to <paramref name="path"/> get these answers, in order; then 200.</summary>
    public void Script(string path, params (int Status, string? RetryAfter)[] answers) =>
        _scripts[path] = new ConcurrentQueue<(int, string?)>(answers);

    /// <summary>Every request to <paramref name="path"/> gets <paramref name="status"/>.</summary>
    public void Always(string path, int status) => _always[path] = status;

    public IReadOnlyList<JsonNode?> BodiesAt(string path) => Requests.Where(r => r.Path == path).Select(r => r.Body).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync();
        Requests.Enqueue((path, context.Request.ContentType ?? string.Empty, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text)));
        if (_always.TryGetValue(path, out var always))
        {
            context.Response.StatusCode = always;
            return;
        }

        if (_scripts.TryGetValue(path, out var script) && script.TryDequeue(out var answer))
        {
            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = answer.RetryAfter;
            }

            return;
        }

        context.Response.StatusCode = 200;
        await context.Response.WriteAsync("1");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
