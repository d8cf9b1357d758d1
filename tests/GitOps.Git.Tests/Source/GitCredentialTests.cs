using System.Net;
using System.Net.Sockets;
using System.Text;
using GitOps.Git.Source;
using GitOps.Testing;

namespace GitOps.Git.Tests.Source;

public sealed class GitCredentialTests : IDisposable
{
    private const string Token = "ghp_SuperSecretToken1234567890";
    private readonly GitSourceTestContext _context = new();

    public void Dispose() => _context.Dispose();

    [Fact]
    public void Token_Becomes_A_Basic_Authorization_Header_Only()
    {
        var repository = new GitRepositoryOptions { Url = "https://git.example.com/org/repo.git", Token = Token };

        var credentials = GitCredentials.Create(repository);

        var expectedHeader = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + Token));
        Assert.Equal([expectedHeader], credentials.Headers);
        Assert.DoesNotContain(Token, repository.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, repository.ToString(), StringComparison.Ordinal);
        Assert.Contains(Token, credentials.Secrets);
    }

    [Fact]
    public void Bearer_Scheme_Sends_The_Token_As_Bearer()
    {
        var repository = new GitRepositoryOptions { Url = "https://dev.azure.com/o/p/_git/r", Token = Token, TokenScheme = GitTokenScheme.Bearer };

        var credentials = GitCredentials.Create(repository);

        Assert.Equal(["Authorization: Bearer " + Token], credentials.Headers);
    }

    [Fact]
    public void A_Token_With_A_Line_Break_Is_Refused_Without_Showing_It()
    {
        var repository = new GitRepositoryOptions { Url = "https://git.example.com/org/repo.git", Token = Token + "\r\nX-Injected: 1" };

        var error = Assert.Throws<GitSourceException>(() => GitCredentials.Create(repository));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_Is_Sent_As_Header_And_Never_Appears_In_The_Url_Or_Error()
    {
        using var server = new RecordingHttpServer(respond: true);
        var repository = new GitRepositoryOptions { Url = server.Url, Token = Token };

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().FetchAsync(repository, "main"));

        var request = server.Requests.First();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + Token));
        Assert.Contains("authorization: " + expected.ToLowerInvariant(), request.ToLowerInvariant(), StringComparison.Ordinal);
        var requestLine = request.Split("\r\n")[0];
        Assert.DoesNotContain(Token, requestLine, StringComparison.Ordinal);
        Assert.Equal(GitErrorKind.Authentication, error.Kind);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(expected[6..], error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_A_Fetch_With_A_Token_No_File_Of_The_Cache_Holds_It()
    {
        _context.Origin.WriteFile("gitops.yaml", "environments: []\n");
        var head = _context.Origin.Commit("first");
        using var server = new SmartHttpGitServer(_context.Origin.RepositoryPath);
        var client = _context.CreateClient();

        Assert.Equal(head, await client.FetchAsync(new GitRepositoryOptions { Url = server.Url, Token = Token }, "main"));

        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + Token));
        var files = Directory.GetFiles(_context.CacheRoot, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("config", StringComparison.Ordinal));
        Assert.All(files, file =>
        {
            var text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(encoded, text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_Configured_Proxy_Receives_The_Request_For_The_Remote()
    {
        using var proxy = new RecordingHttpServer(respond: true);
        var client = new GitSourceClient(new GitSourceOptions
        {
            CacheRoot = _context.CacheRoot,
            NetworkTimeout = TimeSpan.FromSeconds(30),
            ProxyUrl = new Uri(proxy.Url).GetLeftPart(UriPartial.Authority),
        });

        var error = await Assert.ThrowsAsync<GitSourceException>(() => client.FetchAsync(new GitRepositoryOptions { Url = "https://git.example.invalid/org/repo.git" }, "main"));
        Assert.True(proxy.Requests.Count > 0, error.Message);

        // libgit2 tunnels an https remote through the proxy; the host is never resolved locally.
        var requestLine = proxy.Requests.First().Split("\r\n")[0];
        Assert.StartsWith("CONNECT git.example.invalid:443", requestLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_With_Password_Is_Refused_And_Redacted()
    {
        var repository = new GitRepositoryOptions { Url = $"https://user:{Token}@git.example.com/org/repo.git" };

        var error = await Assert.ThrowsAsync<GitSourceException>(() => _context.CreateClient().FetchAsync(repository, "main"));

        Assert.Equal(GitErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
        Assert.Contains("https://***@git.example.com/org/repo.git", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, repository.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Server_That_Never_Answers_Times_Out_As_Transient()
    {
        using var server = new RecordingHttpServer(respond: false);

        // libgit2's socket timeout is process-wide and the smallest asked for wins, so a short one here would also cut
        // the other tests' slow loopback fetches on a busy machine: 8 s is short for a test and long for loopback.
        var client = _context.CreateClient(networkTimeout: TimeSpan.FromSeconds(8));

        var error = await Assert.ThrowsAsync<GitSourceException>(() => client.FetchAsync(new GitRepositoryOptions { Url = server.Url, Token = Token }, "main"));

        Assert.Equal(GitErrorKind.Timeout, error.Kind);
        Assert.True(error.IsTransient);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_A_Fetch_Returns_At_Once_And_The_Connection_Is_Closed()
    {
        using var server = new RecordingHttpServer(respond: false);
        using var cancel = new CancellationTokenSource();
        var fetch = _context.CreateClient(networkTimeout: TimeSpan.FromSeconds(8)).FetchAsync(new GitRepositoryOptions { Url = server.Url }, "main", cancellationToken: cancel.Token);
        var connection = await server.WaitForHeldConnectionAsync(TimeSpan.FromSeconds(20));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(TimeSpan.FromSeconds(5)));

        // libgit2 is blocked reading the socket; its read timeout (the network timeout) ends the fetch and closes it.
        using var readTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        var stream = connection.GetStream();
        while (await stream.ReadAsync(buffer, readTimeout.Token) > 0)
        {
            // Drain the request head until the peer closes.
        }
    }

    [Fact]
    public void Redactor_Removes_User_Info_From_Every_Url()
    {
        var text = "fatal: unable to access 'https://x:secret@host/r.git/' and http://tok@other/x; git@github.com:o/r.git stays";

        Assert.Equal("fatal: unable to access 'https://***@host/r.git/' and http://***@other/x; git@github.com:o/r.git stays", GitUrlRedactor.Redact(text));
    }

    /// <summary>A local HTTP endpoint that records request heads and answers 401 (or nothing at all).</summary>
    private sealed class RecordingHttpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _held = [];

        public RecordingHttpServer(bool respond)
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/org/repo.git";
            _ = Task.Run(() => AcceptAsync(respond));
        }

        public string Url { get; }

        public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

        public async Task<TcpClient> WaitForHeldConnectionAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                lock (_held)
                {
                    if (_held.Count > 0)
                    {
                        return _held[0];
                    }
                }

                await Task.Delay(20);
            }

            throw new TimeoutException("git did not connect to the test server.");
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                foreach (var client in _held)
                {
                    client.Dispose();
                }
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync(bool respond)
        {
            for (var i = 0; i < 20 && !_stop.IsCancellationRequested; i++)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                if (!respond)
                {
                    lock (_held)
                    {
                        _held.Add(client);
                    }

                    continue;
                }

                using (client)
                {
                    var stream = client.GetStream();
                    var head = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            break;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    Requests.Enqueue(head.ToString());
                    var answer = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                }
            }
        }
    }
}
