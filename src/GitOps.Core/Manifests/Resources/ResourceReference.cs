namespace GitOps.Core.Manifests.Resources;

/// <summary>A resolved reference: the id, and the declared resource when it is one of ours.</summary>
/// <param name="Id">The full resource id.</param>
/// <param name="Target">The declared resource it names, or null for an id outside the environment.</param>
internal sealed record ResourceReference(string Id, ResourceDraft? Target);
