namespace GitOps.Core.Manifests.Expressions;

/// <summary>A function call inside <c>${{ }}</c>, e.g. <c>ref(Microsoft.Storage/storageAccounts/st01)</c>.</summary>
/// <param name="Function">The function name.</param>
/// <param name="Arguments">The arguments, trimmed, quotes removed.</param>
/// <param name="Text">The whole expression as written, for messages.</param>
/// <param name="Location">Where the expression starts.</param>
internal sealed record ExpressionCall(string Function, IReadOnlyList<string> Arguments, string Text, SourceLocation Location);
