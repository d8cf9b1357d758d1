namespace GitOps.Hosting.Http;

/// <summary>
/// The api's form of <c>gitops sync --override-window --reason</c>: <c>{"overrideWindow": true, "reason": "…"}</c>.
/// An override without a reason is refused, so every run outside a window says why it happened.
/// </summary>
internal static class SyncWindowOverride
{
    /// <summary>The override reason, or null when the body asks for no override.</summary>
    /// <exception cref="ApiRequestException">An override without a reason, or a reason without an override.</exception>
    public static string? Read(ApiRequestBody fields, int maxLength)
    {
        var reason = fields.Text("reason", maxLength);
        if (!fields.Flag("overrideWindow"))
        {
            return reason is null
                ? null
                : throw new ApiRequestException("'reason' is for a sync-window override: send {\"overrideWindow\": true, \"reason\": \"…\"}.");
        }

        return reason ?? throw new ApiRequestException("A sync-window override needs a reason: send {\"overrideWindow\": true, \"reason\": \"…\"}.");
    }
}
