using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GitOps.Testing;

/// <summary>
/// A loopback smart-HTTP git server (protocol v0, what libgit2 speaks) over <c>git upload-pack --stateless-rpc</c>
/// for one repository. It can behave like hosts that refuse unadvertised wants (GitHub-style "not our ref"), cut the
/// connection part-way through the pack, or hold it there until released.
/// </summary>
public sealed class SmartHttpGitServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly string _repositoryPath;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SmartHttpGitServer(string repositoryPath)
    {
        _repositoryPath = repositoryPath;
        (_listener, var port) = Listen();
        Url = $"http://127.0.0.1:{port}/config.git";
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The repository URL.</summary>
    public string Url { get; }

    /// <summary>
    /// When true, a want that is not an advertised tip is answered with "ERR upload-pack: not our ref", as hosts without
    /// <c>allowReachableSHA1InWant</c> do (the advertisement never offers that capability, so libgit2 may not even ask).
    /// </summary>
    public bool RefuseUnadvertisedWants { get; set; }

    /// <summary>When set, the next pack response is cut (connection reset) after this many bytes; cleared once used.</summary>
    public int? CutNextPackAfterBytes { get; set; }

    /// <summary>
    /// When set, the next pack response stops after this many bytes and holds the connection open until
    /// <see cref="ReleaseStall"/>, then resets it; <see cref="Stalled"/> completes once the bytes are sent.
    /// </summary>
    public int? StallNextPackAfterBytes { get; set; }

    /// <summary>Completes when a stalled pack response has sent its bytes and is holding the connection.</summary>
    public Task Stalled => _stalled.Task;

    /// <summary>Ends a stalled response by resetting its connection.</summary>
    public void ReleaseStall() => _release.TrySetResult();


    public void Dispose()
    {
        _release.TrySetResult();
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }

        _stop.Dispose();
    }

    // HttpListener cannot listen on port 0, so a port is probed; another process may take it before the listener binds
    // it, and then binding fails and is tried again on another port instead of failing the test.
    private static (HttpListener Listener, int Port) Listen()
    {
        for (var attempt = 1; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url!.AbsolutePath;
            if (request.HttpMethod == "GET" && path.EndsWith("/info/refs", StringComparison.Ordinal) && request.QueryString["service"] == "git-upload-pack")
            {
                var refs = await UploadPackAsync(["--advertise-refs"], []);
                response.ContentType = "application/x-git-upload-pack-advertisement";
                await WriteAsync(response, [.. Pkt("# service=git-upload-pack\n"), .. "0000"u8.ToArray(), .. refs]);
            }
            else if (request.HttpMethod == "POST" && path.EndsWith("/git-upload-pack", StringComparison.Ordinal))
            {
                using var body = new MemoryStream();
                await request.InputStream.CopyToAsync(body);
                response.ContentType = "application/x-git-upload-pack-result";
                var unadvertised = RefuseUnadvertisedWants ? await FirstUnadvertisedWantAsync(body.ToArray()) : null;
                if (unadvertised is not null)
                {
                    await WriteAsync(response, Pkt($"ERR upload-pack: not our ref {unadvertised}\n"));
                    return;
                }

                var pack = await UploadPackAsync([], body.ToArray());
                var stall = StallNextPackAfterBytes;
                if ((CutNextPackAfterBytes ?? stall) is { } cut && pack.Length > cut)
                {
                    CutNextPackAfterBytes = null;
                    StallNextPackAfterBytes = null;
                    response.SendChunked = true;
                    await response.OutputStream.WriteAsync(pack.AsMemory(0, cut));
                    await response.OutputStream.FlushAsync();
                    if (stall is not null)
                    {
                        _stalled.TrySetResult();
                        await _release.Task.WaitAsync(_stop.Token);
                    }

                    response.Abort();
                    return;
                }

                await WriteAsync(response, pack);
            }
            else
            {
                response.StatusCode = 404;
                response.Close();
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away.
        }
    }

    private async Task<string?> FirstUnadvertisedWantAsync(byte[] body)
    {
        var advertised = Encoding.ASCII.GetString(await UploadPackAsync(["--advertise-refs"], []));
        foreach (var line in Encoding.ASCII.GetString(body).Split('\n'))
        {
            var at = line.IndexOf("want ", StringComparison.Ordinal);
            if (at >= 0 && line.Length >= at + 45)
            {
                var sha = line.Substring(at + 5, 40);
                if (!advertised.Contains(sha, StringComparison.Ordinal))
                {
                    return sha;
                }
            }
        }

        return null;
    }

    private static async Task WriteAsync(HttpListenerResponse response, byte[] content)
    {
        response.ContentLength64 = content.Length;
        await response.OutputStream.WriteAsync(content);
        response.Close();
    }

    private static byte[] Pkt(string line) => Encoding.ASCII.GetBytes((line.Length + 4).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + line);

    private async Task<byte[]> UploadPackAsync(string[] extra, byte[] input)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["upload-pack", "--stateless-rpc", .. extra, _repositoryPath])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(input);
        process.StandardInput.Close();
        await copy;
        await errors;
        await process.WaitForExitAsync();
        return output.ToArray();
    }
}
