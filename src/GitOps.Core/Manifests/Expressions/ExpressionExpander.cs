using System.Text;
using System.Text.RegularExpressions;
using GitOps.Core.Manifests.Validation;
using GitOps.Core.Manifests.Yaml;

namespace GitOps.Core.Manifests.Expressions;

/// <summary>The text of a scalar after expansion.</summary>
/// <param name="Value">The expanded text (the original text when there was nothing to expand).</param>
/// <param name="HasExpressions">True when the text held at least one <c>${{ }}</c>.</param>
/// <param name="IsWholeExpression">True when the text was exactly one expression (it may then be retyped).</param>
/// <param name="Failed">True when an expression could not be expanded (a diagnostic was reported).</param>
internal readonly record struct ExpandedText(string Value, bool HasExpressions, bool IsWholeExpression, bool Failed);

/// <summary>
/// Expands <c>${{ ... }}</c> in text: <c>vars.NAME</c>, <c>env.name</c>, <c>env.subscriptionId</c> and functions such
/// as <c>ref(...)</c>. <c>$${{</c> writes a literal <c>${{</c>. Every problem names the file, line and column of the
/// expression itself.
/// </summary>
internal sealed partial class ExpressionExpander
{
    private const string Open = "${{";
    private const string Close = "}}";

    private static readonly string[] EnvMembers = ["name", "subscriptionId"];

    private readonly Dictionary<string, IExpressionFunction> _functions;

    /// <summary>Creates an expander with the given functions.</summary>
    public ExpressionExpander(IEnumerable<IExpressionFunction> functions) =>
        _functions = functions.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The expander with every built-in function.</summary>
    public static ExpressionExpander Default { get; } = new([new RefFunction(), new KeyVaultFunction()]);

    /// <summary>True when the text may hold an expression (cheap test before expanding).</summary>
    public static bool MayContainExpression(string text) => text.Contains(Open, StringComparison.Ordinal);

    /// <summary>Expands every expression of a scalar.</summary>
    public ExpandedText Expand(YamlScalar scalar, ExpressionContext context) =>
        Expand(scalar.Value, scalar.LocationAt, context);

    /// <summary>Expands every expression of a text; <paramref name="locate"/> maps an offset to a location.</summary>
    public ExpandedText Expand(string text, Func<int, SourceLocation> locate, ExpressionContext context)
    {
        if (!MayContainExpression(text))
        {
            return new ExpandedText(text, false, false, false);
        }

        var output = new StringBuilder(text.Length);
        var failed = false;
        var expressions = 0;
        var whole = false;
        var position = 0;
        while (position < text.Length)
        {
            var start = text.IndexOf(Open, position, StringComparison.Ordinal);
            if (start < 0)
            {
                output.Append(text, position, text.Length - position);
                break;
            }

            if (start > 0 && text[start - 1] == '$')
            {
                // "$${{" is the escape for a literal "${{".
                output.Append(text, position, start - 1 - position).Append(Open);
                position = start + Open.Length;
                continue;
            }

            output.Append(text, position, start - position);
            var end = text.IndexOf(Close, start + Open.Length, StringComparison.Ordinal);
            if (end < 0)
            {
                context.Diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidValue, locate(start),
                    $"Expression '{Shorten(text[start..])}' has no closing '}}}}'.",
                    "Close it with '}}', or write '$${{' for a literal '${{'."));
                return new ExpandedText(text, true, false, true);
            }

            expressions++;
            whole = start == 0 && end + Close.Length == text.Length;
            var inner = text[(start + Open.Length)..end];
            var value = Evaluate(inner.Trim(), locate(start + Open.Length + LeadingSpaces(inner)), context);
            if (value is null)
            {
                failed = true;
            }
            else
            {
                output.Append(value);
            }

            position = end + Close.Length;
        }

        return new ExpandedText(failed ? text : output.ToString(), expressions > 0, whole && expressions == 1, failed);
    }

    private string? Evaluate(string expression, SourceLocation location, ExpressionContext context)
    {
        var call = CallPattern().Match(expression);
        if (call.Success)
        {
            var name = call.Groups["name"].Value;
            if (!_functions.TryGetValue(name, out var function))
            {
                context.Diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidValue, location,
                    $"Unknown function '{name}' in '${{{{ {expression} }}}}'{Suggestions.DidYouMean(name, _functions.Keys)}",
                    $"The functions are: {string.Join(", ", _functions.Keys.Order(StringComparer.Ordinal))}."));
                return null;
            }

            return function.Invoke(
                new ExpressionCall(name, SplitArguments(call.Groups["args"].Value), expression, location), context);
        }

        var member = MemberPattern().Match(expression);
        if (!member.Success)
        {
            context.Diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue, location,
                $"Cannot read the expression '${{{{ {expression} }}}}'.",
                "Expressions are vars.NAME, env.name, env.subscriptionId, ref(Namespace/type/name) or keyvault('https://VAULT.vault.azure.net/secrets/NAME')."));
            return null;
        }

        var root = member.Groups["root"].Value;
        var field = member.Groups["member"].Value;
        switch (root)
        {
            case "vars":
                if (context.Environment.Variables.TryGetValue(field, out var variable))
                {
                    return variable;
                }

                var defined = context.Environment.Variables.Keys.Order(StringComparer.Ordinal).ToList();
                context.Diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.UndefinedVariable, location,
                    $"Variable '{field}' is not defined for environment '{context.Environment.Name}'{Suggestions.DidYouMean(field, defined)}",
                    defined.Count == 0
                        ? "No variables are defined: add it under 'variables:' of the environment in gitops.yaml (or --var NAME=VALUE)."
                        : $"Defined variables: {string.Join(", ", defined)}. Add it under 'variables:' of the environment in gitops.yaml."));
                return null;
            case "env":
                switch (field)
                {
                    case "name":
                        return context.Environment.Name;
                    case "subscriptionId" when context.Environment.SubscriptionId is { } subscription:
                        return subscription;
                    case "subscriptionId":
                        context.Diagnostics.Add(Diagnostic.Error(
                            DiagnosticCodes.UndefinedVariable, location,
                            $"env.subscriptionId is not set: environment '{context.Environment.Name}' has no default subscription.",
                            "Set subscriptionId on the environment in gitops.yaml (or pass --subscription)."));
                        return null;
                    default:
                        context.Diagnostics.Add(Diagnostic.Error(
                            DiagnosticCodes.UndefinedVariable, location,
                            $"'env.{field}' is not defined{Suggestions.DidYouMean(field, EnvMembers)}",
                            $"The env fields are: {string.Join(", ", EnvMembers.Select(m => "env." + m))}."));
                        return null;
                }

            default:
                context.Diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidValue, location,
                    $"Unknown expression '${{{{ {expression} }}}}'{Suggestions.DidYouMean(root, ["vars", "env"])}",
                    "Expressions are vars.NAME, env.name, env.subscriptionId, ref(Namespace/type/name) or keyvault('https://VAULT.vault.azure.net/secrets/NAME')."));
                return null;
        }
    }

    private static List<string> SplitArguments(string text)
    {
        var arguments = new List<string>();
        if (text.Trim().Length == 0)
        {
            return arguments;
        }

        var current = new StringBuilder();
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is null && c is '\'' or '"')
            {
                quote = c;
            }
            else if (quote == c)
            {
                quote = null;
            }
            else if (quote is null && c == ',')
            {
                arguments.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        arguments.Add(current.ToString().Trim());
        return arguments.Select(Unquote).ToList();
    }

    private static string Unquote(string argument) =>
        argument.Length >= 2 && argument[0] is '\'' or '"' && argument[^1] == argument[0]
            ? argument[1..^1]
            : argument;

    private static int LeadingSpaces(string text) => text.Length - text.TrimStart().Length;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?<args>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"^(?<root>[A-Za-z_][A-Za-z0-9_]*)\.(?<member>[A-Za-z_][A-Za-z0-9_-]*)$")]
    private static partial Regex MemberPattern();
}
