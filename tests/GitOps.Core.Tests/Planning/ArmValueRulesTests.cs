using System.Text.Json.Nodes;
using GitOps.Core.Planning;

namespace GitOps.Core.Tests.Planning;

public sealed class ArmValueRulesTests
{
    private static bool Equal(string desired, string live, string? name) =>
        ArmValueRules.ScalarEquals((JsonValue)JsonNode.Parse(desired)!, (JsonValue)JsonNode.Parse(live)!, name);

    [Theory]
    [InlineData("\"West Europe\"", "\"westeurope\"", "location", true)]
    [InlineData("\"Japan East\"", "\"japaneast\"", "location", true)]
    [InlineData("\"global\"", "\"Global\"", "locationName", true)]
    [InlineData("\"westeurope\"", "\"northeurope\"", "location", false)]
    [InlineData("\"West Europe\"", "\"westeurope\"", "displayName", false)]
    public void Locations_Compare_Lower_Case_Without_Spaces(string desired, string live, string name, bool equal) =>
        Assert.Equal(equal, Equal(desired, live, name));

    [Theory]
    [InlineData("\"/subscriptions/S/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a\"", "\"/subscriptions/s/resourcegroups/RG/providers/microsoft.network/virtualNetworks/v/subnets/a\"", true)]
    [InlineData("\"/subscriptions/S/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a\"", "\"/subscriptions/S/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/b\"", false)]
    [InlineData("\"/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d\"", "\"/providers/Microsoft.Authorization/roleDefinitions/0B5FE924-9A61-425C-96AF-CFE6E287CA2D\"", true)]
    [InlineData("\"/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d\"", "\"/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7\"", false)]
    public void Ids_Compare_Case_Insensitively_And_Role_Definitions_By_Guid(string desired, string live, bool equal) =>
        Assert.Equal(equal, Equal(desired, live, "id"));

    [Fact]
    public void Ids_Compare_Case_Insensitively_Under_Any_Property_Name() =>
        Assert.True(Equal(
            "\"/subscriptions/S/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z\"",
            "\"/subscriptions/s/resourcegroups/rg/providers/Microsoft.Network/privateDnsZones/z\"",
            "privateDnsZoneArmResourceId"));

    [Theory]
    [InlineData("\"Microsoft.ServiceBus/namespaces\"", "\"Microsoft.ServiceBus/Namespaces\"", true)]
    [InlineData("\"Microsoft.Cache/redis\"", "\"Microsoft.Cache/Redis\"", true)]
    [InlineData("\"Microsoft.Cache/redis\"", "\"Microsoft.Cache/redisEnterprise\"", false)]
    [InlineData("\"Standard_LRS\"", "\"standard_lrs\"", false)]
    [InlineData("\"EdgeZone\"", "\"edgezone\"", false)]
    public void Resource_Types_Compare_Case_Insensitively_Other_Strings_Exactly(string desired, string live, bool equal) =>
        Assert.Equal(equal, Equal(desired, live, "type"));

    [Theory]
    [InlineData("\"PT60S\"", "\"PT1M\"", true)]
    [InlineData("\"PT1H\"", "\"PT60M\"", true)]
    [InlineData("\"P1D\"", "\"PT24H\"", true)]
    [InlineData("\"P1Y\"", "\"P12M\"", true)]
    [InlineData("\"PT1.5S\"", "\"PT1.500S\"", true)]
    [InlineData("\"PT5M\"", "\"PT6M\"", false)]
    [InlineData("\"P1M\"", "\"PT1M\"", false)]
    [InlineData("\"P1M\"", "\"P30D\"", false)]
    [InlineData("\"Premium\"", "\"PT1M\"", false)]
    public void Iso_Durations_Compare_By_Value(string desired, string live, bool equal) =>
        Assert.Equal(equal, Equal(desired, live, "retention"));

    [Theory]
    [InlineData("1", "1.0", true)]
    [InlineData("1073741824", "1073741824.00", true)]
    [InlineData("1e3", "1000", true)]
    [InlineData("30", "31", false)]
    [InlineData("true", "true", true)]
    [InlineData("false", "true", false)]
    [InlineData("1", "\"1\"", false)]
    [InlineData("true", "\"true\"", false)]
    public void Numbers_By_Value_Booleans_Exactly_Kinds_Never_Mix(string desired, string live, bool equal) =>
        Assert.Equal(equal, Equal(desired, live, "value"));

    [Fact]
    public void Numbers_Built_In_Code_Compare_With_Parsed_Ones()
    {
        Assert.True(ArmValueRules.ScalarEquals(JsonValue.Create(30), (JsonValue)JsonNode.Parse("30.0")!, "retentionInDays"));
        Assert.True(ArmValueRules.ScalarEquals(JsonValue.Create(2.5d), JsonValue.Create(2.5m), "x"));
        Assert.False(ArmValueRules.ScalarEquals(JsonValue.Create(30L), JsonValue.Create(31), "x"));
    }

    [Theory]
    [InlineData("\"4\"", "\"4.0.14\"", "redisVersion", true)]
    [InlineData("\"1.28\"", "\"1.28.3\"", "kubernetesVersion", true)]
    [InlineData("\"4\"", "\"40.1\"", "redisVersion", false)]
    [InlineData("\"6\"", "\"4.0.14\"", "redisVersion", false)]
    [InlineData("\"1.2\"", "\"1.2.0\"", "minimumTlsVersion", false)]
    [InlineData("\"\"", "\"1.9.6\"", "kubernetesVersion", true)]
    [InlineData("\"\"", "\"x\"", "dnsPrefix", false)]
    public void Partial_Service_Versions_Match_The_Resolved_Patch(string desired, string live, string name, bool equal) =>
        Assert.Equal(equal, Equal(desired, live, name));

    [Fact]
    public void Other_Strings_Compare_Exactly()
    {
        Assert.False(Equal("\"TLS1_2\"", "\"tls1_2\"", "minimumTlsVersion"));
        Assert.False(Equal("\"Enabled\"", "\"Enabled \"", "publicNetworkAccess"));
        Assert.True(Equal("\"Enabled\"", "\"Enabled\"", "publicNetworkAccess"));
    }
}
