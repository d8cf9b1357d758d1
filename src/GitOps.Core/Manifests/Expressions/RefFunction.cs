namespace GitOps.Core.Manifests.Expressions;

/// <summary>
/// <c>ref(Namespace/type/name[/childType/childName...])</c>: the full id of a declared resource. The referring resource
/// then depends on it, so it is applied after it.
/// </summary>
internal sealed class RefFunction : IExpressionFunction
{
    /// <inheritdoc />
    public string Name => "ref";

    /// <inheritdoc />
    public string? Invoke(ExpressionCall call, ExpressionContext context)
    {
        if (call.Arguments.Count != 1 || call.Arguments[0].Length == 0)
        {
            context.Diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, call.Location,
                $"'{call.Text}' takes exactly one argument: the resource to refer to.",
                $"Write ${{{{ ref({Resources.ProviderPath.Example.Split(' ')[0]}) }}}}."));
            return null;
        }

        if (context.ResolveReference is null)
        {
            context.Diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, call.Location,
                $"'{call.Text}' cannot be used here: {context.ReferencesNotAllowedReason}.",
                "Use a literal value or vars.NAME here."));
            return null;
        }

        if (context.ResolveReference(call.Arguments[0], call.Location) is not { } reference)
        {
            return null;
        }

        if (reference.IsDeclared)
        {
            context.References.Add(reference.Id);
        }

        return reference.Id;
    }
}
