using GitOps.Core.Manifests;
using GitOps.Core.Policy;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;
using static GitOps.Core.Tests.Policy.PolicyTestSupport;

namespace GitOps.Core.Tests.Policy;

public sealed class PolicyEvaluatorTests
{
    [Fact]
    public void Allowed_Locations_Compare_With_Arm_Spelling()
    {
        var allowed = Evaluate("""
            rules:
              - name: eu-only
                allowedLocations: [ westeurope, northeurope ]
            """);
        var denied = Evaluate("""
            rules:
              - name: eu-north-only
                allowedLocations: [ northeurope ]
            """);

        Assert.Empty(allowed);
        var violation = Assert.Single(denied);
        Assert.Equal(DiagnosticCodes.PolicyDenied, violation.Code);
        Assert.Equal(DiagnosticSeverity.Error, violation.Severity);
        AssertAt(violation, "main.yaml", 4, 1);
        Assert.Contains("Microsoft.Storage/storageAccounts 'stapp01'", violation.Message, StringComparison.Ordinal);
        Assert.Contains("'eu-north-only' (gitops.policy.yaml:2:5)", violation.Message, StringComparison.Ordinal);
        Assert.Contains("'West Europe'", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resources_Without_A_Location_Are_Not_Checked_For_It()
    {
        var violations = Evaluate("""
            rules:
              - name: eu-north-only
                allowedLocations: [ northeurope ]
            """, """
            type: Microsoft.Network/virtualNetworks/subnets@2024-05-01
            name: vnet/snet
            resourceGroup: rg-app
            properties: { addressPrefix: 10.0.0.0/24 }
            """);

        Assert.Empty(violations);
    }

    [Fact]
    public void Required_Tags_Match_Names_Ignoring_Case_And_Values_Exactly()
    {
        var satisfied = Evaluate("""
            rules:
              - name: tags
                requiredTags: { owner: [], COSTCENTER: [ "4711", "1001" ] }
            """);
        var violations = Evaluate("""
            rules:
              - name: tags
                requiredTags: { owner: [ Platform ], environment: [] }
            """);

        Assert.Empty(satisfied);
        Assert.Equal(2, violations.Count);
        var wrongValue = Assert.Single(violations, v => v.Message.Contains("'Owner' is 'platform'", StringComparison.Ordinal));
        AssertAt(wrongValue, "main.yaml", 8, 3);
        var missing = Assert.Single(violations, v => v.Message.Contains("tag 'environment' is missing", StringComparison.Ordinal));
        AssertAt(missing, "main.yaml", 7, 1);
    }

    [Fact]
    public void Missing_Tags_Map_Points_At_The_Document()
    {
        var violation = Assert.Single(Evaluate("""
            rules:
              - name: owner
                requiredTags: [ owner ]
            """, """
            # a comment line first
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-app
            location: westeurope
            """));

        AssertAt(violation, "main.yaml", 2, 1);
    }

    [Fact]
    public void Denied_Types_Match_Globs_Ignoring_Case()
    {
        var violation = Assert.Single(Evaluate("""
            rules:
              - name: no-storage
                deniedTypes: [ "Microsoft.ClassicCompute/*", "microsoft.storage/*" ]
            """));
        var none = Evaluate("""
            rules:
              - name: no-classic
                deniedTypes: [ "Microsoft.ClassicCompute/*", "Microsoft.Storage/storageAccounts/*" ]
            """);

        AssertAt(violation, "main.yaml", 1, 1);
        Assert.Contains("matches 'microsoft.storage/*'", violation.Message, StringComparison.Ordinal);
        Assert.Empty(none);
    }

    [Fact]
    public void Allowed_Skus_Point_At_The_Sku_Name()
    {
        var violation = Assert.Single(Evaluate("""
            rules:
              - name: storage-skus
                allowedSkus: { "Microsoft.Storage/storageAccounts": [ Standard_ZRS, Standard_GRS ] }
            """));
        var allowed = Evaluate("""
            rules:
              - name: storage-skus
                allowedSkus: { "Microsoft.Storage/storageAccounts": [ standard_lrs ], "Microsoft.Web/*": [ P1v3 ] }
            """);

        AssertAt(violation, "main.yaml", 5, 8);
        Assert.Contains("SKU 'Standard_LRS' is not allowed (allowed: Standard_ZRS, Standard_GRS)", violation.Message, StringComparison.Ordinal);
        Assert.Empty(allowed);
    }

    [Fact]
    public void Allowed_Skus_Refuse_A_Listed_Type_Without_A_Sku()
    {
        var violation = Assert.Single(Evaluate("""
            rules:
              - name: storage-skus
                allowedSkus: { "Microsoft.Storage/storageAccounts": [ Standard_ZRS ] }
            """, """
            type: Microsoft.Storage/storageAccounts@2023-05-01
            name: stapp01
            resourceGroup: rg-app
            location: westeurope
            """));

        Assert.Contains("declares no sku.name", violation.Message, StringComparison.Ordinal);
        AssertAt(violation, "main.yaml", 1, 1);
    }

    [Theory]
    [InlineData("equals: TLS1_2", true, "is TLS1_0 (required: TLS1_2)")]
    [InlineData("equals: TLS1_0", false, null)]
    [InlineData("oneOf: [ TLS1_2, TLS1_3 ]", true, "(required: one of TLS1_2, TLS1_3)")]
    [InlineData("oneOf: [ TLS1_0, TLS1_2 ]", false, null)]
    [InlineData("not: TLS1_0", true, "which is not allowed")]
    [InlineData("not: TLS1_1", false, null)]
    [InlineData("exists: true", false, null)]
    [InlineData("absent: true", true, "is set, and must not be")]
    public void Assertions_Judge_The_Value_At_The_Pointer(string condition, bool violated, string? problem)
    {
        var violations = Evaluate($$"""
            rules:
              - name: tls
                assert: { path: /properties/minimumTlsVersion, {{condition}} }
            """);

        Assert.Equal(violated, violations.Count == 1);
        if (violated)
        {
            AssertAt(violations[0], "main.yaml", 11, 3);
            Assert.Contains(problem!, violations[0].Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("exists: true", true)]
    [InlineData("absent: true", false)]
    [InlineData("not: true", false)]
    [InlineData("equals: false", true)]
    public void Assertions_On_An_Unset_Field(string condition, bool violated)
    {
        var violations = Evaluate($$"""
            rules:
              - name: shared-key
                assert: { path: /properties/allowSharedKeyAccess, {{condition}} }
            """);

        Assert.Equal(violated, violations.Count == 1);
        if (violated)
        {
            // The field is missing: its nearest declared parent.
            AssertAt(violations[0], "main.yaml", 10, 1);
        }
    }

    [Fact]
    public void Assertions_Compare_Typed_Values()
    {
        var violations = Evaluate("""
            rules:
              - name: public-access-off
                assert: { path: /properties/allowBlobPublicAccess, equals: false }
              - name: public-access-text
                assert: { path: /properties/allowBlobPublicAccess, equals: "false" }
            """);

        var violation = Assert.Single(violations);
        Assert.Contains("'public-access-text'", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assertion_Messages_Never_Show_A_Secret_Value()
    {
        var violation = Assert.Single(Evaluate("""
            rules:
              - name: no-literal-password
                assert: { path: /properties/administratorLoginPassword, equals: "use-key-vault" }
            """, """
            type: Microsoft.Sql/servers@2023-08-01
            name: sql-app
            resourceGroup: rg-app
            location: westeurope
            properties:
              administratorLogin: admin
              administratorLoginPassword: Hunter2!Hunter2!
            """));

        Assert.DoesNotContain("Hunter2", violation.ToString(), StringComparison.Ordinal);
        Assert.Contains("(redacted)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warn_Rules_Give_Warnings()
    {
        var violation = Assert.Single(Evaluate("""
            rules:
              - name: eu-north-preferred
                severity: warn
                description: Capacity is cheaper in North Europe.
                allowedLocations: [ northeurope ]
            """));

        Assert.Equal(DiagnosticCodes.PolicyWarning, violation.Code);
        Assert.Equal(DiagnosticSeverity.Warning, violation.Severity);
        Assert.StartsWith("main.yaml:4:1: warning GO2002: Microsoft.Storage/storageAccounts 'stapp01' breaks policy rule 'eu-north-preferred' (gitops.policy.yaml:2:5)", violation.ToString(), StringComparison.Ordinal);
        Assert.Contains("Capacity is cheaper in North Europe.", violation.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ environments: [ prod ] }", "prod", true)]
    [InlineData("{ environments: [ prod ] }", "dev", false)]
    [InlineData("{ types: [ \"Microsoft.Storage/*\" ] }", "dev", true)]
    [InlineData("{ types: [ \"Microsoft.Network/*\", \"*/resourceGroups\" ] }", "dev", false)]
    [InlineData("{ types: [ \"*\" ], environments: [ dev, prod ] }", "dev", true)]
    public void AppliesTo_Filters_By_Type_And_Environment(string appliesTo, string environment, bool violated)
    {
        var violations = Evaluate($"""
            rules:
              - name: eu-north-only
                appliesTo: {appliesTo}
                allowedLocations: [ northeurope ]
            """, environment: environment);

        Assert.Equal(violated, violations.Count == 1);
    }

    [Fact]
    public void Violations_Come_By_Resource_Then_Rule()
    {
        var policy = ReadPolicy("""
            rules:
              - name: eu-north-only
                allowedLocations: [ northeurope ]
              - name: owner
                requiredTags: [ owner ]
            """);
        var resources = Resources("""
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-app
            location: westeurope
            ---
            type: Microsoft.Resources/resourceGroups@2024-03-01
            name: rg-other
            location: northeurope
            """);

        var violations = PolicyEvaluator.Evaluate(policy, "prod", resources);

        Assert.Equal(
            [("rg-app", "eu-north-only"), ("rg-app", "owner"), ("rg-other", "owner")],
            violations.Select(v => (v.Resource.Name, v.Rule.Name)));
        Assert.All(violations, v => Assert.True(v.IsDenied));
    }

    [Fact]
    public void No_Policy_File_Means_No_Rules()
    {
        var result = new ManifestLoader().LoadPolicy(new GitOps.Core.Ports.InMemoryFileTree().Add("gitops.yaml", "environments: []"));

        Assert.False(result.IsDeclared);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(PolicyEvaluator.Evaluate(result.Policy, "prod", Resources()));
    }
}
