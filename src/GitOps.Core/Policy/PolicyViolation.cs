using GitOps.Core.Manifests;

namespace GitOps.Core.Policy;

/// <summary>
/// A resource that breaks a rule. <see cref="Diagnostic"/> is how it is printed and recorded: code GO2001 (deny, an
/// error) or GO2002 (warn, a warning), located at the offending field of the resource, and naming the resource, the
/// rule and the rule's place in the policy file.
/// </summary>
/// <param name="Rule">The rule.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Location">The offending field's line (or the document's start when the field is not declared).</param>
/// <param name="Problem">What is wrong, e.g. <c>location 'eastus' is not allowed (allowed: westeurope)</c>.</param>
/// <param name="Hint">What to do about it.</param>
public sealed record PolicyViolation(PolicyRule Rule, DeclaredResource Resource, SourceLocation Location, string Problem, string Hint)
{
    /// <summary>True when the rule blocks the run.</summary>
    public bool IsDenied => Rule.Severity == PolicySeverity.Deny;

    /// <summary>The violation as a diagnostic: <c>file:line:col: error GO2001: type 'name' breaks policy rule 'r' (gitops.policy.yaml:4:5): problem. hint</c>.</summary>
    public Diagnostic Diagnostic
    {
        get
        {
            var message = $"{Resource.Type} '{Resource.Name}' breaks policy rule '{Rule.Name}' ({Rule.Location}): {Problem}.";
            var hint = Rule.Description is null ? Hint : $"{Hint} Rule: {Rule.Description}";
            return IsDenied
                ? Diagnostic.Error(DiagnosticCodes.PolicyDenied, Location, message, hint)
                : Diagnostic.Warning(DiagnosticCodes.PolicyWarning, Location, message, hint);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Diagnostic.ToString();
}
