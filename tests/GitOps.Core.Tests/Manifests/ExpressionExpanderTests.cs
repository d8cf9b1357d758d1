using GitOps.Core.Manifests;
using GitOps.Core.Manifests.Expressions;

namespace GitOps.Core.Tests.Manifests;

public class ExpressionExpanderTests
{
    private static ExpressionContext Context(List<Diagnostic> diagnostics) => new()
    {
        Environment = ManifestTestSupport.Environment(variables: new Dictionary<string, string> { ["team"] = "payments" }),
        Diagnostics = diagnostics,
        ResolveReference = (reference, _) => ($"/resolved/{reference}", true),
    };

    private static SourceLocation At(int offset) => new("f.yaml", 1, 1 + offset);

    [Fact]
    public void New_Functions_Plug_In_Without_Touching_The_Expander()
    {
        var expander = new ExpressionExpander([new RefFunction(), new UpperFunction()]);
        var diagnostics = new List<Diagnostic>();

        var expanded = expander.Expand("${{ upper('a,b', c) }}-${{ vars.team }}", At, Context(diagnostics));

        Assert.Empty(diagnostics);
        Assert.Equal("A,B|C-payments", expanded.Value);
        Assert.False(expanded.IsWholeExpression);
    }

    [Fact]
    public void Ref_Arguments_Take_Optional_Quotes_And_Record_The_Reference()
    {
        var diagnostics = new List<Diagnostic>();
        var context = Context(diagnostics);

        var expanded = ExpressionExpander.Default.Expand("${{ ref(\"Microsoft.Storage/storageAccounts/st1\") }}", At, context);

        Assert.Empty(diagnostics);
        Assert.True(expanded.IsWholeExpression);
        Assert.Equal("/resolved/Microsoft.Storage/storageAccounts/st1", expanded.Value);
        Assert.Equal(["/resolved/Microsoft.Storage/storageAccounts/st1"], context.References);
    }

    [Fact]
    public void Ref_With_The_Wrong_Number_Of_Arguments_Is_Reported()
    {
        var diagnostics = new List<Diagnostic>();

        var expanded = ExpressionExpander.Default.Expand("x ${{ ref() }}", At, Context(diagnostics));

        Assert.True(expanded.Failed);
        var error = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticCodes.InvalidValue, error.Code);
        Assert.Equal(new SourceLocation("f.yaml", 1, 7), error.Location);
    }

    [Fact]
    public void Text_Without_Expressions_Is_Returned_Unchanged()
    {
        var expanded = ExpressionExpander.Default.Expand("plain {{ text }} $", At, Context([]));

        Assert.Equal(new ExpandedText("plain {{ text }} $", false, false, false), expanded);
    }

    private sealed class UpperFunction : IExpressionFunction
    {
        public string Name => "upper";

        public string? Invoke(ExpressionCall call, ExpressionContext context) =>
            string.Join("|", call.Arguments).ToUpperInvariant();
    }
}
