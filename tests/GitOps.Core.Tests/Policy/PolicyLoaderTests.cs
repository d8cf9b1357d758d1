using GitOps.Core.Manifests;
using GitOps.Core.Policy;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;
using static GitOps.Core.Tests.Policy.PolicyTestSupport;

namespace GitOps.Core.Tests.Policy;

public sealed class PolicyLoaderTests
{
    [Fact]
    public void Reads_Every_Rule_Kind_With_Its_Location()
    {
        var policy = ReadPolicy("""
            version: 1
            rules:
              - name: allowed-locations
                severity: deny
                appliesTo: { types: [ "Microsoft.Storage/*" ], environments: [ prod ] }
                allowedLocations: [ westeurope, northeurope ]
              - name: cost-center-tag
                severity: warn
                requiredTags: { costCenter: [ "1001", 1002 ], owner: [] }
              - name: no-classic
                deniedTypes: [ "Microsoft.ClassicCompute/*" ]
              - name: storage-skus
                allowedSkus: { "Microsoft.Storage/storageAccounts": [ Standard_ZRS, Standard_GRS ] }
              - name: tls
                description: TLS 1.0 and 1.1 are retired.
                assert: { path: /properties/minimumTlsVersion, oneOf: [ TLS1_2, TLS1_3 ] }
            """);

        Assert.Equal(["allowed-locations", "cost-center-tag", "no-classic", "storage-skus", "tls"], policy.Rules.Select(r => r.Name));
        var locations = policy.Rules[0];
        Assert.Equal(PolicySeverity.Deny, locations.Severity);
        Assert.Equal(new SourceLocation(PolicySet.FileName, 3, 5), locations.Location);
        Assert.Equal(["Microsoft.Storage/*"], locations.AppliesTo.Types);
        Assert.Equal(["prod"], locations.AppliesTo.Environments);
        Assert.Equal(["westeurope", "northeurope"], Assert.IsType<AllowedLocationsCheck>(locations.Check).Locations);
        var tags = Assert.IsType<RequiredTagsCheck>(policy.Rules[1].Check);
        Assert.Equal(PolicySeverity.Warn, policy.Rules[1].Severity);
        Assert.Equal(["1001", "1002"], tags.Tags[0].Value);
        Assert.Empty(tags.Tags[1].Value);
        Assert.IsType<DeniedTypesCheck>(policy.Rules[2].Check);
        Assert.Equal(PolicySeverity.Deny, policy.Rules[2].Severity);
        Assert.IsType<AllowedSkusCheck>(policy.Rules[3].Check);
        var assertion = Assert.IsType<PropertyAssertion>(policy.Rules[4].Check);
        Assert.Equal(AssertionOperator.OneOf, assertion.Operator);
        Assert.Equal("/properties/minimumTlsVersion", assertion.Path);
        Assert.Equal("TLS 1.0 and 1.1 are retired.", policy.Rules[4].Description);
    }

    [Fact]
    public void Unknown_Fields_Are_Errors_With_A_Suggestion()
    {
        var result = LoadPolicy("""
            rules:
              - name: tls
                severty: warn
                assert: { path: /properties/minimumTlsVersion, equal: TLS1_2 }
            """);

        Assert.True(result.HasErrors);
        var field = Assert.Single(result.Diagnostics, d => d.Message.Contains("'severty'", StringComparison.Ordinal));
        Assert.Equal(DiagnosticCodes.UnknownField, field.Code);
        AssertAt(field, PolicySet.FileName, 3, 5);
        Assert.Contains("did you mean 'severity'", field.Message, StringComparison.Ordinal);
        var condition = Assert.Single(result.Diagnostics, d => d.Message.Contains("'equal'", StringComparison.Ordinal));
        AssertAt(condition, PolicySet.FileName, 4, 52);
        Assert.Empty(result.Policy.Rules);
    }

    [Fact]
    public void A_Rule_Needs_Exactly_One_Check()
    {
        var result = LoadPolicy("""
            rules:
              - name: nothing
              - name: two
                allowedLocations: [ westeurope ]
                deniedTypes: [ "Microsoft.ClassicCompute/*" ]
              - name: fine
                deniedTypes: [ "Microsoft.ClassicCompute/*" ]
            """);

        var missing = Single(result.Diagnostics, DiagnosticCodes.MissingField);
        AssertAt(missing, PolicySet.FileName, 2, 5);
        Assert.Contains("'nothing' has no check", missing.Message, StringComparison.Ordinal);
        var two = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        AssertAt(two, PolicySet.FileName, 5, 5);
        Assert.Equal(["fine"], result.Policy.Rules.Select(r => r.Name));
    }

    [Theory]
    [InlineData("severity: block\n    deniedTypes: [ \"A.B/*\" ]", DiagnosticCodes.InvalidValue, 3, 15)]
    [InlineData("deniedTypes: [ \"Microsoft.Storage/storageAccounts@2023-05-01\" ]", DiagnosticCodes.InvalidValue, 3, 20)]
    [InlineData("deniedTypes: []", DiagnosticCodes.MissingField, 3, 18)]
    [InlineData("allowedLocations: westeurope", DiagnosticCodes.InvalidValue, 3, 23)]
    [InlineData("assert: { path: properties/x, exists: true }", DiagnosticCodes.InvalidValue, 3, 21)]
    [InlineData("assert: { path: /properties/x, exists: false }", DiagnosticCodes.InvalidValue, 3, 44)]
    [InlineData("assert: { path: /properties/x }", DiagnosticCodes.MissingField, 3, 13)]
    [InlineData("assert: { path: /properties/x, equals: { a: 1 } }", DiagnosticCodes.InvalidValue, 3, 44)]
    [InlineData("assert: { exists: true }", DiagnosticCodes.MissingField, 3, 13)]
    [InlineData("appliesTo: { type: [ \"A.B/*\" ] }\n    deniedTypes: [ \"A.B/*\" ]", DiagnosticCodes.UnknownField, 3, 18)]
    public void Malformed_Rules_Are_Reported_At_Their_Position(string body, string code, int line, int column)
    {
        var result = LoadPolicy($"""
            rules:
              - name: rule
                {body}
            """);

        var diagnostic = Single(result.Diagnostics, code);
        AssertAt(diagnostic, PolicySet.FileName, line, column);
        Assert.Empty(result.Policy.Rules);
    }

    [Fact]
    public void Yaml_Syntax_Errors_Are_GO1001()
    {
        var result = LoadPolicy("""
            rules:
              - name: tls
                allowedLocations: [ westeurope
            """);

        Assert.Equal(DiagnosticCodes.YamlSyntax, Assert.Single(result.Diagnostics).Code);
        Assert.Equal(PolicySet.FileName, result.Diagnostics[0].Location.File);
    }

    [Fact]
    public void Duplicate_Rule_Names_And_Bad_Names_Are_Errors()
    {
        var result = LoadPolicy("""
            rules:
              - name: tls
                deniedTypes: [ "A.B/*" ]
              - name: tls
                deniedTypes: [ "A.C/*" ]
              - name: "has spaces"
                deniedTypes: [ "A.D/*" ]
            """);

        Assert.Equal(2, result.Diagnostics.Count);
        Assert.Contains("first declared at gitops.policy.yaml:2:5", result.Diagnostics[0].Message, StringComparison.Ordinal);
        AssertAt(result.Diagnostics[0], PolicySet.FileName, 4, 5);
        AssertAt(result.Diagnostics[1], PolicySet.FileName, 6, 11);
        Assert.Single(result.Policy.Rules);
    }

    [Theory]
    [InlineData("", DiagnosticCodes.MissingField)]
    [InlineData("version: 1", DiagnosticCodes.MissingField)]
    [InlineData("version: 2\nrules: []", DiagnosticCodes.InvalidValue)]
    [InlineData("rules: { a: 1 }", DiagnosticCodes.InvalidValue)]
    [InlineData("rule: []", DiagnosticCodes.UnknownField)]
    public void Malformed_Files_Are_Reported(string yaml, string code)
    {
        var result = LoadPolicy(yaml);

        Assert.True(result.HasErrors);
        Assert.True(result.IsDeclared);
        Assert.Contains(result.Diagnostics, d => d.Code == code && d.Location.File == PolicySet.FileName);
    }

    [Fact]
    public void Oversized_File_Is_Refused_Before_Parsing()
    {
        var result = new PolicyLoader(ManifestLimits.Default with { MaxFileBytes = 64 })
            .Load(new GitOps.Core.Ports.InMemoryFileTree().Add(PolicySet.FileName, "rules:\n" + string.Concat(Enumerable.Repeat("  - name: x\n", 20))));

        Assert.Equal(DiagnosticCodes.LimitExceeded, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Environment_Names_Gitops_Yaml_Does_Not_Declare_Are_Warned_About()
    {
        var policy = ReadPolicy("""
            rules:
              - name: prod-only
                appliesTo: { environments: [ prd, dev ] }
                deniedTypes: [ "A.B/*" ]
            """);

        var warning = Assert.Single(PolicyLoader.CheckEnvironmentNames(policy, ["dev", "prod"]));

        Assert.Equal(DiagnosticCodes.UnknownEnvironment, warning.Code);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        AssertAt(warning, PolicySet.FileName, 2, 5);
        Assert.Contains("'prd'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'prod'?", warning.Message, StringComparison.Ordinal);
    }
}
