using System.Net;
using System.Text.RegularExpressions;
using GitOps.Core.Runs;
using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// The status page end to end: real runs (an applied update and an invalid commit) recorded in Azurite, the
/// endpoints on Kestrel, and Debian's headless Chromium loading the pages; the screenshot is kept in artifacts/.
/// </summary>
[Collection(HostingCollection.StatusPageBrowser)]
[Trait("Category", "Integration")]
public sealed partial class StatusPageBrowserTests(AzuriteFixture azurite, ArmSimulatorFixture arm)
{
    private const string HostileMessage = "<script>document.body.setAttribute('data-pwned','1')</script> retag dev & break prod";

    [Fact]
    public async Task Chromium_Renders_Environments_States_Commits_Runs_And_A_Runs_Field_Diffs()
    {
        using var world = new TestWorld(azurite, arm);
        var first = world.CommitTwoEnvironments();
        var runtime = await world.RuntimeAsync();
        Assert.Equal(RunOutcome.Applied, (await Reconcile(runtime, "dev", first)).Outcome);

        // Second commit: dev's tag changes (an update with a field diff); prod's manifest loses its name (invalid).
        world.WriteResourceGroup("envs/dev", "rg-dev", tag: "team-a");
        world.Repository.WriteFile("envs/prod/rg-prod.yaml", "type: Microsoft.Resources/resourceGroups@2021-04-01\nlocation: westeurope\n");
        var second = world.Repository.Commit(HostileMessage, author: "Dana O'Hara & Co");
        var update = await Reconcile(runtime, "dev", second);
        Assert.Equal(RunOutcome.Applied, update.Outcome);
        var invalid = await Reconcile(runtime, "prod", second);
        Assert.Equal(RunOutcome.Invalid, invalid.Outcome);

        await using var server = await ApiServer.StartAsync(runtime);
        var baseAddress = server.Client.BaseAddress!;
        using (var response = await server.Client.GetAsync("/api/status"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        var dom = await HeadlessChromium.DumpDomAsync(new Uri(baseAddress, "/api/status"));

        // The hostile message is text, not markup: no script element, nothing ran.
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data-pwned=\"1\"", dom, StringComparison.Ordinal);

        var rows = EnvironmentRow().Matches(dom).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["row"].Value);
        Assert.Equal(["app/dev", "app/prod"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("data-state=\"in-sync\">in sync</span>", rows["app/dev"], StringComparison.Ordinal);
        Assert.Contains("data-state=\"failing\">failing</span>", rows["app/prod"], StringComparison.Ordinal);
        Assert.Contains($"<code class=\"sha\" title=\"{second}\">{second[..7]}</code>", rows["app/dev"], StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt; retag dev &amp; break prod", rows["app/dev"], StringComparison.Ordinal);
        Assert.Contains("<span class=\"author\">Dana O'Hara &amp; Co</span>", rows["app/dev"], StringComparison.Ordinal);
        Assert.Contains(Conditions.ValidationFailed, rows["app/prod"], StringComparison.Ordinal);

        var links = RunLink().Matches(dom).Select(m => Uri.UnescapeDataString(m.Groups["id"].Value)).ToHashSet();
        Assert.Superset(new HashSet<string> { update.RunId, invalid.RunId }, links);
        Assert.Equal(3, RunRow().Matches(dom).Count);

        var runDom = await HeadlessChromium.DumpDomAsync(new Uri(baseAddress, OverviewPage(update.RunId)));
        Assert.Contains("<td class=\"path\"><code>/tags/owner</code></td><td class=\"live\"><code>\"platform\"</code></td><td class=\"desired\"><code>\"team-a\"</code></td>", runDom, StringComparison.Ordinal);
        Assert.Matches("<tr class=\"result\"><td><code>/subscriptions/[^<]*/resourceGroups/rg-dev</code></td><td>update</td><td class=\"outcome-succeeded\">Succeeded</td>", runDom);
        Assert.DoesNotContain("<script", runDom, StringComparison.OrdinalIgnoreCase);

        var invalidDom = await HeadlessChromium.DumpDomAsync(new Uri(baseAddress, OverviewPage(invalid.RunId)));
        Assert.Contains("<ul id=\"errors\">", invalidDom, StringComparison.Ordinal);
        Assert.Contains("rg-prod.yaml", invalidDom, StringComparison.Ordinal);

        using (var missing = await server.Client.GetAsync("/api/status/runs/no-such-run"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        var artifacts = Path.Combine(RepositoryRoot.Find(), "artifacts");
        foreach (var (file, path) in new[] { ("status-page.png", "/api/status"), ("status-run-page.png", OverviewPage(update.RunId)) })
        {
            var screenshot = Path.Combine(artifacts, file);
            await HeadlessChromium.ScreenshotAsync(new Uri(baseAddress, path), screenshot);
            var bytes = await File.ReadAllBytesAsync(screenshot);
            Assert.True(bytes.Length > 10_000, $"{file} is only {bytes.Length} bytes.");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        }
    }

    private static string OverviewPage(string runId) => GitOps.Hosting.Http.StatusPage.OverviewPage.RunPath(runId, string.Empty);

    private static async Task<RunRecord> Reconcile(GitOpsRuntime runtime, string environment, string commit)
    {
        var result = await runtime.Reconciler.ReconcileAsync(new ReconcileJob
        {
            JobId = Guid.NewGuid().ToString("N"),
            Repository = "app",
            Environment = environment,
            Commit = commit,
            Trigger = RunTrigger.Push,
            EnqueuedAt = DateTimeOffset.UtcNow,
        });
        return result.Run!;
    }

    [GeneratedRegex("<tr class=\"environment\" data-environment=\"(?<key>[^\"]+)\">(?<row>.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex EnvironmentRow();

    [GeneratedRegex("<tr class=\"run\" data-run=\"[^\"]+\">", RegexOptions.Singleline)]
    private static partial Regex RunRow();

    [GeneratedRegex("<a class=\"run-link\" href=\"/api/status/runs/(?<id>[^\"?]+)\">")]
    private static partial Regex RunLink();
}
