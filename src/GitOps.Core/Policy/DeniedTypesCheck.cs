using GitOps.Core.Manifests;

namespace GitOps.Core.Policy;

/// <summary><c>deniedTypes</c>: resources of these types (globs, ignoring case) may not be declared.</summary>
/// <param name="Types">Type globs without api-version, e.g. <c>Microsoft.ClassicCompute/*</c>.</param>
public sealed record DeniedTypesCheck(IReadOnlyList<string> Types) : PolicyCheck
{
    /// <inheritdoc />
    public override string Kind => "deniedTypes";

    /// <inheritdoc />
    internal override IEnumerable<PolicyFinding> Check(DeclaredResource resource)
    {
        var glob = Types.FirstOrDefault(t => TypeGlob.IsMatch(t, resource.Type));
        if (glob is not null)
        {
            yield return new PolicyFinding(
                "/type",
                $"type '{resource.Type}' is denied (matches '{glob}')",
                "Use another resource type, or remove the resource.");
        }
    }
}
