namespace GitOps.Core.Manifests.Expressions;

/// <summary>
/// A function usable inside <c>${{ }}</c>. Adding one is a new class and one line in
/// <see cref="ExpressionExpander.Default"/>; the expander handles parsing, quoting and locations.
/// </summary>
internal interface IExpressionFunction
{
    /// <summary>The name as written before the parenthesis.</summary>
    string Name { get; }

    /// <summary>Evaluates a call: the text to put in place of the expression, or null after reporting a diagnostic.</summary>
    string? Invoke(ExpressionCall call, ExpressionContext context);
}
