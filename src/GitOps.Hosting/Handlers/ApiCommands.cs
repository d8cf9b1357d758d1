using System.Text.Json.Nodes;
using GitOps.Core.Ports;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;
using GitOps.Hosting.Http;
using GitOps.Hosting.Settings;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The api's operations on one environment (sync, suspend, resume), with everything checked before anything is written:
/// plain names (400), the body's fields and lengths (400), a watched repository (404) and an environment declared at
/// the tip of its default branch (404, <see cref="EnvironmentCatalog"/>). The actor is the authenticated caller the
/// host passes in; body text is only ever a note beside it.
/// </summary>
/// <param name="settings">The watched repositories.</param>
/// <param name="catalog">Which environments the repositories declare.</param>
/// <param name="control">The operations themselves (shared with the CLI).</param>
public sealed class ApiCommands(GitOpsSettings settings, EnvironmentCatalog catalog, EnvironmentControl control)
{
    /// <summary>The largest body an api POST may have (a few bounded text fields fit many times over).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The most characters of a free-text field (<c>reason</c>, <c>note</c>): it is copied into records and pages.</summary>
    public const int MaxTextLength = EnvironmentControl.MaxTextLength;

    /// <summary>
    /// Enqueues a manual reconcile of the environment's branch tip (202): an empty body, or
    /// <c>{"overrideWindow": true, "reason": "…"}</c> to run even outside the environment's sync windows.
    /// </summary>
    /// <param name="repository">The repository name from the URL.</param>
    /// <param name="environment">The environment name from the URL.</param>
    /// <param name="actor">The authenticated caller.</param>
    /// <param name="body">The request body: empty, or a JSON object with <c>overrideWindow</c> and <c>reason</c>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<ApiResponse> SyncAsync(string repository, string environment, string actor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        RunAsync(repository, environment, body, fields =>
        {
            var overrideReason = SyncWindowOverride.Read(fields, MaxTextLength);
            return async () =>
            {
                var job = await control.SyncAsync(repository, environment, actor, cancellationToken, overrideReason).ConfigureAwait(false);
                return new ApiResponse(202, new JsonObject { ["status"] = "enqueued", ["jobId"] = job.JobId, ["environment"] = job.EnvironmentKey, ["by"] = actor, ["overrideWindow"] = overrideReason is not null });
            };
        }, cancellationToken);

    /// <summary>Suspends the environment (200): <c>{"reason": "…", "until": "2026-12-01T00:00:00Z", "note": "…"}</c>.</summary>
    /// <param name="repository">The repository name from the URL.</param>
    /// <param name="environment">The environment name from the URL.</param>
    /// <param name="actor">The authenticated caller.</param>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<ApiResponse> SuspendAsync(string repository, string environment, string actor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        RunAsync(repository, environment, body, fields =>
        {
            var reason = fields.Text("reason", MaxTextLength)
                ?? throw new ApiRequestException("A suspension needs a reason: send {\"reason\": \"…\"} (and optionally \"until\" and \"note\").");
            var until = fields.Time("until");
            var note = Note(fields);
            return async () =>
            {
                var record = await control.SuspendAsync(repository, environment, reason, actor, until, cancellationToken, note).ConfigureAwait(false);
                return new ApiResponse(200, new JsonObject { ["status"] = "suspended", ["environment"] = record.EnvironmentKey, ["runId"] = record.RunId, ["summary"] = record.Summary, ["by"] = actor });
            };
        }, cancellationToken);

    /// <summary>Resumes the environment and enqueues a reconcile (202): an optional <c>{"note": "…"}</c>.</summary>
    /// <param name="repository">The repository name from the URL.</param>
    /// <param name="environment">The environment name from the URL.</param>
    /// <param name="actor">The authenticated caller.</param>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<ApiResponse> ResumeAsync(string repository, string environment, string actor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        RunAsync(repository, environment, body, fields =>
        {
            var note = Note(fields);
            return async () =>
            {
                var (record, job) = await control.ResumeAsync(repository, environment, actor, cancellationToken, note).ConfigureAwait(false);
                return new ApiResponse(202, new JsonObject { ["status"] = "enqueued", ["jobId"] = job.JobId, ["environment"] = job.EnvironmentKey, ["runId"] = record.RunId, ["summary"] = record.Summary, ["by"] = actor });
            };
        }, cancellationToken);

    /// <summary>The answer to a body over <see cref="MaxBodyBytes"/>.</summary>
    public static ApiResponse TooLarge() =>
        ApiResponse.Error(413, "too large", $"The body exceeds {MaxBodyBytes} bytes; free-text fields are limited to {MaxTextLength} characters.");

    // 'by' was once taken as the actor; it is kept as a synonym of 'note' so old callers are recorded, not trusted.
    private static string? Note(ApiRequestBody fields) => fields.Text("note", MaxTextLength) ?? fields.Text("by", MaxTextLength);

    private async Task<ApiResponse> RunAsync(string repository, string environment, ReadOnlyMemory<byte> body, Func<ApiRequestBody, Func<Task<ApiResponse>>> prepare, CancellationToken cancellationToken)
    {
        if (!EnvironmentKeys.IsValidName(repository) || !EnvironmentKeys.IsValidName(environment))
        {
            return ApiResponse.Error(400, "bad request", $"Repository and environment names are {EnvironmentKeys.NameRule}.");
        }

        try
        {
            // The body is checked first: a request that would be refused anyway costs no git fetch.
            var operation = prepare(ApiRequestBody.Parse(body.Span));
            if (settings.FindRepository(repository) is null)
            {
                return ApiResponse.Error(404, "not found", $"No watched repository '{repository}'.");
            }

            if (await catalog.FindAsync(repository, environment, cancellationToken).ConfigureAwait(false) is null)
            {
                return ApiResponse.Error(404, "not found", $"Repository '{repository}' declares no environment '{environment}' in gitops.yaml on its default branch.");
            }

            return await operation().ConfigureAwait(false);
        }
        catch (ApiRequestException error)
        {
            return ApiResponse.Error(400, "bad request", error.Message);
        }
        catch (ArgumentException error)
        {
            // EnvironmentControl refuses what it cannot record (an 'until' in the past); its message names the field.
            return ApiResponse.Error(400, "bad request", error.Message);
        }
        catch (ConfigSourceException error)
        {
            // Nothing was written: the caller may try again once git answers.
            return ApiResponse.Error(503, "unavailable", $"Could not read repository '{repository}' to check its environments: {error.Message}");
        }
    }
}
