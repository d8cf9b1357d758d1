using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Pointers;
using GitOps.Core.Ports;

namespace GitOps.Core.Apply;

/// <summary>Puts values at the JSON pointers of <see cref="SecretReference"/>s, in a body that is about to be sent.</summary>
internal static class SecretFields
{
    /// <summary>Writes <paramref name="text"/> at <paramref name="pointer"/>; false when the pointer names no existing field.</summary>
    public static bool TrySet(JsonObject body, string pointer, string text) => JsonPointer.Replace(body, pointer, JsonValue.Create(text));

    /// <summary>The text at <paramref name="pointer"/>, or null when there is none.</summary>
    public static string? TryGet(JsonObject body, string pointer) =>
        JsonPointer.Find(body, pointer) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Reads each secret and writes its value into <paramref name="body"/> (a copy that goes only to ARM).</summary>
    public static async Task FillAsync(JsonObject body, IReadOnlyList<SecretReference> references, ISecretResolver? resolver, CancellationToken cancellationToken)
    {
        foreach (var reference in references)
        {
            if (resolver is null)
            {
                throw new SecretResolutionException(reference.Url, $"{reference.Pointer} refers to the secret {reference.Url}, but this host has no Key Vault resolver configured.", isTransient: false);
            }

            var secret = await resolver.ResolveAsync(reference.Url, cancellationToken).ConfigureAwait(false);
            if (!TrySet(body, reference.Pointer, secret.Value))
            {
                // The placeholder must never reach ARM: a body that lost the field is refused rather than sent.
                throw new SecretResolutionException(reference.Url, $"The field {reference.Pointer} for the secret {reference.Url} is not in the body.", isTransient: false);
            }
        }
    }
}
