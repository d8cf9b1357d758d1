using System.Text;
using System.Text.Json.Nodes;
using GitOps.Core.Events;
using GitOps.Testing;

namespace GitOps.Core.Tests.Events;

public sealed class ArmEventReaderTests
{
    private const string Subscription = "8f6b6269-84f2-4d09-9e31-1127efcd1e40";
    private const string Storage = $"/subscriptions/{Subscription}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp01";

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(EventCorpus.Directory(), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private static JsonObject Sample(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(EventCorpus.Directory(), name)))!.AsObject();

    private static JsonObject WriteEvent() => Sample("eventgrid-resource-write-success.json")["event"]!.AsObject();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Documented_Samples_Read_As_Expected_In_Plain_And_Base64_Text(string file)
    {
        var sample = Sample(file);
        var expected = sample["expected"]!.AsObject();
        var text = sample["event"]!.ToJsonString();
        foreach (var message in new[] { text, Base64(text), $"[{text}]" })
        {
            var read = ArmEventReader.Read(message);
            if (expected["refused"] is { } refused)
            {
                Assert.Null(read.Event);
                Assert.Contains(refused.GetValue<string>(), read.Problem, StringComparison.Ordinal);
                continue;
            }

            var change = Assert.IsType<ArmChangeEvent>(read.Event);
            Assert.Equal(Enum.Parse<ChangeKind>(expected["kind"]!.GetValue<string>()), change.Kind);
            Assert.Equal(expected["resourceId"]!.GetValue<string>(), change.ResourceId);
            Assert.Equal(expected["subscriptionId"]!.GetValue<string>(), change.SubscriptionId);
            Assert.Equal(expected["actor"]!.GetValue<string>(), change.Actor.Display);
            Assert.Equal(expected["appId"]!.GetValue<string>(), change.Actor.AppId);
            Assert.Equal(expected["objectId"]!.GetValue<string>(), change.Actor.ObjectId);
            Assert.Equal(sample["schema"]!.GetValue<string>(), change.Schema);
            Assert.Contains(ArmEventReader.NormalizePrincipal(change.Actor.ObjectId!), change.PrincipalIds);
        }
    }

    [Fact]
    public void The_Write_Sample_Carries_Operation_Correlation_And_Time()
    {
        var change = ArmEventReader.Read(WriteEvent().ToJsonString()).Event!;

        Assert.Equal("Microsoft.Storage/storageAccounts/write", change.OperationName);
        Assert.Equal("a1f3c6d2-6b7e-4f0a-9d8c-2e1b3a4c5d6e", change.CorrelationId);
        Assert.Equal(DateTimeOffset.Parse("2018-07-19T18:38:04.6117357Z", System.Globalization.CultureInfo.InvariantCulture), change.EventTime);
        Assert.Equal("portal", change.Actor.ClientType);
    }

    [Fact]
    public void A_Service_Principal_Is_Named_By_Its_App_Id_And_Its_Evidence_Principal_Counts_As_Its_Own()
    {
        var json = WriteEvent();
        var claims = json["data"]!["claims"]!.AsObject();
        foreach (var personal in new[] { "name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name" })
        {
            claims.Remove(personal);
        }

        claims["appid"] = "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b";
        json["data"]!["authorization"]!["evidence"] = new JsonObject { ["principalId"] = "9d8c7b6a5f4e4d3c8b2a1f0e9d8c7b6a", ["principalType"] = "ServicePrincipal" };

        var change = ArmEventReader.Read(json.ToJsonString()).Event!;

        Assert.Equal("app 2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b (application)", change.Actor.Display);
        Assert.Equal("ServicePrincipal", change.Actor.PrincipalType);
        Assert.Contains("9d8c7b6a5f4e4d3c8b2a1f0e9d8c7b6a", change.PrincipalIds);
        Assert.Contains("2e3f4a5b6c7d4e8f9a0b1c2d3e4f5a6b", change.PrincipalIds);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "", "empty" },
        { "not json, not base64!", "neither JSON nor Base64" },
        { Base64("hello"), "neither JSON nor Base64" },
        { "{", "not valid JSON" },
        { "[]", "holds 0 events" },
        { "[1,2]", "holds 2 events" },
        { "42", "neither JSON nor Base64" },
        { "\"text\"", "neither JSON nor Base64" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Text_That_Is_No_Event_Is_Refused_With_The_Reason(string message, string reason)
    {
        var read = ArmEventReader.Read(message);

        Assert.Null(read.Event);
        Assert.Contains(reason, read.Problem, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> FieldRefusals() => new()
    {
        { "eventType", "\"Microsoft.Resources.ResourceWriteFailure\"", "is not handled" },
        { "eventType", "null", "'eventType' is missing" },
        { "subject", "\"/subscriptions/not-a-guid/resourceGroups/rg\"", "not a resource id under a subscription" },
        { "subject", "\"/subscriptions/" + Subscription + "\"", "not a resource id under a subscription" },
        { "subject", "\"/subscriptions/" + Subscription + "/resourceGroups/rg/../other\"", "'.' or '..' segment" },
        { "subject", "\"/subscriptions/" + Subscription + "/resourceGroups/rg?x=1\"", "holds a character" },
        { "subject", "\"/subscriptions/" + Subscription + "/resourceGroups/rg/\"", "empty" },
        { "subject", "\"/subscriptions/" + Subscription + "/locations/westeurope\"", "neither a resource group nor a provider" },
        { "topic", "\"/subscriptions/00000000-0000-0000-0000-000000000001\"", "is not the subscription of the subject" },
        { "eventTime", "\"yesterday\"", "not an ISO-8601 time" },
        { "id", "null", "'id' is missing" },
        { "data", "\"text\"", "'data' is missing or not an object" },
    };

    [Theory]
    [MemberData(nameof(FieldRefusals))]
    public void A_Bad_Field_Is_Refused_Naming_It(string field, string value, string reason)
    {
        var json = WriteEvent();
        json[field] = JsonNode.Parse(value);

        var read = ArmEventReader.Read(json.ToJsonString());

        Assert.Null(read.Event);
        Assert.Contains(reason, read.Problem, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> DataRefusals() => new()
    {
        { "subscriptionId", "\"00000000-0000-0000-0000-000000000001\"", "data.subscriptionId" },
        { "resourceUri", "\"/subscriptions/" + Subscription + "/resourceGroups/other\"", "data.resourceUri" },
        { "status", "\"Failed\"", "only succeeded" },
        { "claims", "[\"a\"]", "data.claims" },
        { "claims", "{\"appid\": 42}", "data.claims" },
    };

    [Theory]
    [MemberData(nameof(DataRefusals))]
    public void Data_That_Disagrees_With_The_Subject_Or_Is_Not_Claims_Is_Refused(string field, string value, string reason)
    {
        var json = WriteEvent();
        json["data"]![field] = JsonNode.Parse(value);

        var read = ArmEventReader.Read(json.ToJsonString());

        Assert.Null(read.Event);
        Assert.Contains(reason, read.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_Messages_Ids_And_Claim_Sets_Are_Refused()
    {
        Assert.Contains("at most", ArmEventReader.Read(new string(' ', ArmEventReader.MaxMessageLength + 1) + "{}").Problem, StringComparison.Ordinal);

        var longId = WriteEvent();
        longId["subject"] = Storage + new string('a', ArmEventReader.MaxResourceIdLength);
        Assert.Contains("a resource id is at most", ArmEventReader.Read(longId.ToJsonString()).Problem, StringComparison.Ordinal);

        var manyClaims = WriteEvent();
        var claims = new JsonObject();
        for (var i = 0; i <= ArmEventReader.MaxClaims; i++)
        {
            claims[$"c{i}"] = "x";
        }

        manyClaims["data"]!["claims"] = claims;
        Assert.Contains("data.claims", ArmEventReader.Read(manyClaims.ToJsonString()).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_Fields_Lose_Control_Characters_And_Are_Cut()
    {
        var json = WriteEvent();
        json["data"]!["claims"]!["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = "mallory@contoso.com\r\n<script>" + new string('x', 600);

        var actor = ArmEventReader.Read(json.ToJsonString()).Event!.Actor;

        Assert.DoesNotContain('\n', actor.Name!);
        Assert.DoesNotContain('\r', actor.Name!);
        Assert.Equal(ArmEventReader.MaxFieldLength, actor.Name!.Length);
    }

    [Fact]
    public void A_CloudEvent_Needs_Spec_Version_One()
    {
        var cloud = Sample("cloudevents-resource-write-success.json")["event"]!.AsObject();
        cloud["specversion"] = "0.3";

        Assert.Contains("specversion", ArmEventReader.Read(cloud.ToJsonString()).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Principal_Ids_Compare_Without_Dashes_Braces_Or_Case()
    {
        Assert.Equal(ArmEventReader.NormalizePrincipal("{3F9C1E4A-2B7D-4E8F-9A6C-1D2E3F4A5B6C}"), ArmEventReader.NormalizePrincipal("3f9c1e4a2b7d4e8f9a6c1d2e3f4a5b6c"));
    }
}
