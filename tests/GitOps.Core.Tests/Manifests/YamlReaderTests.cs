using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;
using static GitOps.Core.Tests.Manifests.ManifestTestSupport;

namespace GitOps.Core.Tests.Manifests;

public class YamlReaderTests
{
    private const string Header = """
        type: Microsoft.Resources/resourceGroups@2024-03-01
        name: rg-app
        location: westeurope

        """;

    [Fact]
    public void Scalars_Are_Typed_By_The_Yaml_1_2_Core_Schema()
    {
        var result = LoadSingle(Header + """
            tags:
              note: x
            properties:
              country: NO
              yes: yes
              on: off
              flag: true
              capitalFlag: False
              nothing: null
              tilde: ~
              empty:
              count: 42
              negative: -7
              hex: 0x1F
              octal: 0o17
              huge: 123456789012345678901234
              ratio: 1.5
              exponent: 1e3
              version: "1.10"
              quotedTrue: 'true'
              quotedNumber: "42"
              literal: |
                42
              taggedString: !!str 42
              taggedInt: !!int "7"
              bare: ! 12
            """);

        AssertNoErrors(result);
        var properties = result.Resources.Single().Body["properties"]!.AsObject();
        Assert.Equal("NO", properties["country"]!.GetValue<string>());
        Assert.Equal("yes", properties["yes"]!.GetValue<string>());
        Assert.Equal("off", properties["on"]!.GetValue<string>());
        Assert.True(properties["flag"]!.GetValue<bool>());
        Assert.False(properties["capitalFlag"]!.GetValue<bool>());
        Assert.True(properties.ContainsKey("nothing"));
        Assert.Null(properties["nothing"]);
        Assert.Null(properties["tilde"]);
        Assert.Null(properties["empty"]);
        Assert.Equal(42L, properties["count"]!.GetValue<long>());
        Assert.Equal(-7L, properties["negative"]!.GetValue<long>());
        Assert.Equal(31L, properties["hex"]!.GetValue<long>());
        Assert.Equal(15L, properties["octal"]!.GetValue<long>());
        Assert.Equal(123456789012345678901234m, properties["huge"]!.GetValue<decimal>());
        Assert.Equal(1.5, properties["ratio"]!.GetValue<double>());
        Assert.Equal(1000.0, properties["exponent"]!.GetValue<double>());
        Assert.Equal("1.10", properties["version"]!.GetValue<string>());
        Assert.Equal("true", properties["quotedTrue"]!.GetValue<string>());
        Assert.Equal("42", properties["quotedNumber"]!.GetValue<string>());
        Assert.Equal("42\n", properties["literal"]!.GetValue<string>());
        Assert.Equal("42", properties["taggedString"]!.GetValue<string>());
        Assert.Equal(7L, properties["taggedInt"]!.GetValue<long>());
        Assert.Equal("12", properties["bare"]!.GetValue<string>());
        Assert.Equal("""{"count":42}""", new JsonObject { ["count"] = properties["count"]!.DeepClone() }.ToJsonString());
    }

    [Theory]
    [InlineData("value: .inf", 5, 10)]
    [InlineData("value: !!int abc", 5, 10)]
    [InlineData("value: !custom x", 5, 10)]
    public void Scalars_Json_Cannot_Hold_Are_Errors(string line, int expectedLine, int expectedColumn)
    {
        var result = LoadSingle(Header + "properties:\n  " + line + "\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        AssertAt(error, "main.yaml", expectedLine, expectedColumn);
    }

    [Fact]
    public void Every_Field_Has_A_Location()
    {
        var result = LoadSingle(Header + """
            tags:
              owner: platform
            zones: [1, 2]
            properties:
              nested:
                - name: a
                  value: 1
            """);

        AssertNoErrors(result);
        var locations = result.Resources.Single().FieldLocations;
        Assert.Equal(new SourceLocation("main.yaml", 1, 1), locations["/type"]);
        Assert.Equal(new SourceLocation("main.yaml", 2, 1), locations["/name"]);
        Assert.Equal(new SourceLocation("main.yaml", 5, 3), locations["/tags/owner"]);
        Assert.Equal(new SourceLocation("main.yaml", 6, 12), locations["/zones/1"]);
        Assert.Equal(new SourceLocation("main.yaml", 9, 7), locations["/properties/nested/0"]);
        Assert.Equal(new SourceLocation("main.yaml", 10, 7), locations["/properties/nested/0/value"]);
        Assert.Equal(new SourceLocation("main.yaml", 1, 1), result.Resources.Single().Location);
    }

    [Fact]
    public void Syntax_Error_Names_Line_And_Column()
    {
        var result = LoadSingle("type: Microsoft.Resources/resourceGroups@2024-03-01\nname: [rg-app\nlocation: westeurope\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.YamlSyntax);
        Assert.Equal("main.yaml", error.Location.File);
        Assert.True(error.Location.Line >= 2, error.ToString());
        Assert.DoesNotContain("Idx:", error.Message);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Unquoted_Expression_In_A_Flow_Collection_Gets_A_Quoting_Hint()
    {
        var result = LoadSingle(Header + "sku: { name: ${{ vars.sku }} }\n", new Dictionary<string, string> { ["sku"] = "Standard_LRS" });

        var error = Single(result.Diagnostics, DiagnosticCodes.YamlSyntax);
        Assert.Equal(4, error.Location.Line);
        Assert.Contains("Quote the value", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_Key_Is_An_Error_At_The_Second_Key()
    {
        var result = LoadSingle(Header + "location: northeurope\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.YamlSyntax);
        AssertAt(error, "main.yaml", 4, 1);
        Assert.Contains("'location'", error.Message);
        Assert.Contains("main.yaml:3:1", error.Message);
    }

    [Fact]
    public void Aliases_Expand_To_Copies()
    {
        var result = LoadSingle(Header + """
            tags: &common
              owner: platform
            properties:
              copy: *common
            """);

        AssertNoErrors(result);
        var body = result.Resources.Single().Body;
        Assert.Equal("platform", body["properties"]!["copy"]!["owner"]!.GetValue<string>());
        Assert.NotSame(body["tags"], body["properties"]!["copy"]);
    }

    [Fact]
    public void Alias_To_Undefined_Anchor_Is_A_Syntax_Error()
    {
        var result = LoadSingle(Header + "properties:\n  copy: *missing\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.YamlSyntax);
        AssertAt(error, "main.yaml", 5, 9);
        Assert.Contains("*missing", error.Message);
    }

    [Fact]
    public void Anchors_Do_Not_Cross_Documents_Or_Point_Into_Themselves()
    {
        var result = LoadSingle(Header + "properties: { a: &x 1 }\n---\n" + Header + "properties: { b: *x }\n");
        var recursive = LoadSingle(Header + "properties:\n  loop: &self [ *self ]\n");

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.YamlSyntax), "main.yaml", 9, 18);
        AssertAt(Single(recursive.Diagnostics, DiagnosticCodes.YamlSyntax), "main.yaml", 5, 17);
    }

    [Fact]
    public void Node_Limit_Counts_Expanded_Aliases()
    {
        var limits = new ManifestLimits { MaxNodesPerFile = 40 };
        var yaml = Header + "properties:\n  a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n  b: [*a, *a, *a]\n";

        var result = LoadSingle(yaml, limits: limits);

        var error = Single(result.Diagnostics, DiagnosticCodes.LimitExceeded);
        Assert.Equal(6, error.Location.Line);
        Assert.Contains("more than 40", error.Message);
        Assert.False(LoadSingle(yaml, limits: new ManifestLimits { MaxNodesPerFile = 60 }).HasErrors);
    }

    [Fact]
    public void Merge_Keys_Are_Refused()
    {
        var result = LoadSingle(Header + "properties:\n  base: &b { a: 1 }\n  copy:\n    <<: *b\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.InvalidValue);
        AssertAt(error, "main.yaml", 7, 5);
    }

    [Fact]
    public void Billion_Laughs_Is_Refused_With_A_Limit_Error()
    {
        var yaml = File.ReadAllText(TestData("billion-laughs.yaml"));

        var result = LoadSingle(yaml);

        var error = Single(result.Diagnostics, DiagnosticCodes.LimitExceeded);
        Assert.Equal("main.yaml", error.Location.File);
        Assert.Contains("aliases", error.Message);
        Assert.Empty(result.Resources);
    }

    [Fact]
    public void Deep_Nesting_Is_Refused_With_A_Limit_Error()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);

        var result = LoadSingle(Header + "properties:\n  deep: " + deep + "\n");

        var error = Single(result.Diagnostics, DiagnosticCodes.LimitExceeded);
        Assert.Equal(5, error.Location.Line);
        Assert.Contains("64 levels", error.Message);
    }

    [Fact]
    public void Deep_Nesting_Through_An_Alias_Counts_The_Aliased_Depth()
    {
        var limits = new ManifestLimits { MaxDepth = 6 };
        var result = LoadSingle(Header + "properties:\n  a: &deep [[[1]]]\n  b: { c: { d: *deep } }\n", limits: limits);

        var error = Single(result.Diagnostics, DiagnosticCodes.LimitExceeded);
        AssertAt(error, "main.yaml", 6, 16);
    }

    [Fact]
    public void Too_Many_Documents_In_A_File_Is_A_Limit_Error()
    {
        var limits = new ManifestLimits { MaxDocumentsPerFile = 2 };
        var document = "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-{0}\nlocation: westeurope\n";
        var yaml = string.Join("---\n", Enumerable.Range(1, 3).Select(i => string.Format(document, i)));

        var result = LoadSingle(yaml, limits: limits);

        var error = Single(result.Diagnostics, DiagnosticCodes.LimitExceeded);
        AssertAt(error, "main.yaml", 8, 1);
        Assert.Equal(2, result.Resources.Count);
    }

    [Fact]
    public void Oversized_File_Is_Refused_Before_It_Is_Read()
    {
        var tree = new CountingTree(new InMemoryFileTree().Add("big.yaml", Header + new string('#', 2000)));
        var loader = new ManifestLoader(new ManifestLimits { MaxFileBytes = 1000 });

        var result = loader.LoadEnvironment(tree, Environment());

        var error = Single(result.Diagnostics, DiagnosticCodes.LimitExceeded);
        Assert.Equal(SourceLocation.OfFile("big.yaml"), error.Location);
        Assert.Equal(0, tree.Reads);
    }

    [Fact]
    public void Environment_Over_Its_Byte_Budget_Stops_Reading()
    {
        var tree = new InMemoryFileTree()
            .Add("a.yaml", Header)
            .Add("b.yaml", Header.Replace("rg-app", "rg-two", StringComparison.Ordinal));
        var loader = new ManifestLoader(new ManifestLimits { MaxEnvironmentBytes = Header.Length + 10 });

        var result = loader.LoadEnvironment(tree, Environment());

        var error = Single(result.Diagnostics, DiagnosticCodes.LimitExceeded);
        Assert.Equal(SourceLocation.OfFile("b.yaml"), error.Location);
        Assert.Single(result.Resources);
    }

    [Fact]
    public void Too_Many_Resources_Is_A_Limit_Error()
    {
        var document = "type: Microsoft.Resources/resourceGroups@2024-03-01\nname: rg-{0}\nlocation: westeurope\n";
        var yaml = string.Join("---\n", Enumerable.Range(1, 3).Select(i => string.Format(document, i)));

        var result = LoadSingle(yaml, limits: new ManifestLimits { MaxResourcesPerEnvironment = 2 });

        var error = Single(result.Diagnostics, DiagnosticCodes.LimitExceeded);
        AssertAt(error, "main.yaml", 9, 1);
    }

    [Fact]
    public void Byte_Order_Mark_And_Crlf_Line_Ends_Keep_Positions()
    {
        var text = "type: Microsoft.Resources/resourceGroups@2024-03-01\r\nname: rg-app\r\nlocation: westeurope\r\npropertes: {}\r\n";
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes(text)).ToArray();
        var tree = new InMemoryFileTree().Add("crlf.yaml", bytes);

        var result = new ManifestLoader().LoadEnvironment(tree, Environment());

        AssertAt(Single(result.Diagnostics, DiagnosticCodes.UnknownField), "crlf.yaml", 4, 1);
        Assert.Equal("rg-app", result.Resources.Single().Name);
    }

    [Fact]
    public void Invalid_Utf8_Is_A_Syntax_Error()
    {
        var tree = new InMemoryFileTree().Add("bad.yaml", new byte[] { 0x6E, 0x61, 0xFF, 0xFE });

        var result = new ManifestLoader().LoadEnvironment(tree, Environment());

        Assert.Equal(SourceLocation.OfFile("bad.yaml"), Single(result.Diagnostics, DiagnosticCodes.YamlSyntax).Location);
    }

    private sealed class CountingTree(IFileTree inner) : IFileTree
    {
        public int Reads { get; private set; }

        public string DisplayName => inner.DisplayName;

        public IReadOnlyList<string> ListFiles(string folder) => inner.ListFiles(folder);

        public bool FileExists(string path) => inner.FileExists(path);

        public long GetFileSize(string path) => inner.GetFileSize(path);

        public ReadOnlyMemory<byte> ReadFile(string path)
        {
            Reads++;
            return inner.ReadFile(path);
        }
    }
}
