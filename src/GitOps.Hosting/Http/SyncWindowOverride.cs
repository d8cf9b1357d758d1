namespace GitOps.Hosting.Http;

/// <summary>
/// The api's form of <c>gitops sync --override-window --reason</c>: <c>{"overrideWindow": true, "reason": "…"}</c>.
/// An override without a reason is refused, so every run outside a window says why it happened; a reason without
/// <c>overrideWindow</c> is ignored, as sync has always ignored its body's other fields.
/// </summary>
internal static class SyncWindowOverride
{
    /// <summary>The override reason, or null when the body asks for no override.</summary>
    /// <exception cref="ApiRequestException">An override without a reason, or a field of the wrong type.</exception>
    public static string? Read(ApiRequestBody fields, int maxLength)
    {
        var reason = fields.Text("reason", maxLength);
        if (!fields.Flag("overrideWindow"))
        {
            return null;
        }

        return reason ?? throw new ApiRequestException("A sync-window override needs a reason: send {\"overrideWindow\": true, \"reason\": \"…\"}.");
    }
}
