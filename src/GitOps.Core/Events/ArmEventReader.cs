using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GitOps.Core.Events;

/// <summary>
/// Reads one queue message as an ARM change event: Event Grid schema or CloudEvents 1.0, the JSON as text or Base64
/// of it (Event Grid's storage-queue encoding is documented both ways, platform-facts §7.4), one event or an array of
/// exactly one. The message is untrusted input, so it is bounded and checked field by field before anything looks at
/// it: sizes, the event type (only <c>ResourceWriteSuccess</c> and <c>ResourceDeleteSuccess</c>), the subject (a
/// well-formed resource id under a subscription, agreeing with <c>topic</c>/<c>source</c>, <c>data.subscriptionId</c>
/// and <c>data.resourceUri</c>), the time, and the caller's claims (strings only, capped).
/// </summary>
public static class ArmEventReader
{
    /// <summary>The longest message read (a storage queue message holds at most 64 KiB).</summary>
    public const int MaxMessageLength = 64 * 1024;

    /// <summary>The longest resource id accepted.</summary>
    public const int MaxResourceIdLength = 1024;

    /// <summary>The longest identity field kept (names and ids are cut to this).</summary>
    public const int MaxFieldLength = 256;

    /// <summary>The most claims an event may carry.</summary>
    public const int MaxClaims = 200;

    /// <summary>The write event type.</summary>
    public const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";

    /// <summary>The delete event type.</summary>
    public const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";

    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string UpnClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    private const string NameClaim = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Reads and validates one message.</summary>
    /// <param name="text">The message text as the queue trigger hands it over.</param>
    /// <returns>The event, or the reason it is refused.</returns>
    public static ArmEventReadResult Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ArmEventReadResult.Refused("The message is empty.");
        }

        if (text.Length > MaxMessageLength)
        {
            return ArmEventReadResult.Refused($"The message is {text.Length} characters; an event message holds at most {MaxMessageLength}.");
        }

        var json = text.Trim();
        if (json[0] is not ('{' or '['))
        {
            if (DecodeBase64(json) is not { } decoded)
            {
                return ArmEventReadResult.Refused("The message is neither JSON nor Base64 of UTF-8 JSON.");
            }

            json = decoded.Trim();
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException error)
        {
            return ArmEventReadResult.Refused($"The message is not valid JSON ({error.Message}).");
        }

        if (root is JsonArray array)
        {
            if (array.Count != 1)
            {
                return ArmEventReadResult.Refused($"The message holds {array.Count} events; a storage-queue delivery carries exactly one.");
            }

            root = array[0];
        }

        if (root is not JsonObject envelope)
        {
            return ArmEventReadResult.Refused("The event must be a JSON object.");
        }

        return envelope.ContainsKey("specversion") ? ReadCloudEvent(envelope) : ReadEventGrid(envelope);
    }

    private static ArmEventReadResult ReadEventGrid(JsonObject envelope)
    {
        var type = String(envelope, "eventType");
        var subject = String(envelope, "subject");
        var id = String(envelope, "id");
        var time = String(envelope, "eventTime");
        var topic = String(envelope, "topic");
        return Build("EventGrid", type, "eventType", subject, id, time, "eventTime", topic, "topic", envelope["data"]);
    }

    private static ArmEventReadResult ReadCloudEvent(JsonObject envelope)
    {
        if (String(envelope, "specversion") != "1.0")
        {
            return ArmEventReadResult.Refused("Field 'specversion' must be \"1.0\" (CloudEvents 1.0).");
        }

        return Build("CloudEvents", String(envelope, "type"), "type", String(envelope, "subject"), String(envelope, "id"), String(envelope, "time"), "time", String(envelope, "source"), "source", envelope["data"]);
    }

    private static ArmEventReadResult Build(
        string schema, string? type, string typeField, string? subject, string? id, string? time, string timeField, string? topic, string topicField, JsonNode? dataNode)
    {
        if (type is null)
        {
            return ArmEventReadResult.Refused($"Field '{typeField}' is missing.");
        }

        var kind = type switch
        {
            WriteSuccess => ChangeKind.Write,
            DeleteSuccess => ChangeKind.Delete,
            _ => (ChangeKind?)null,
        };
        if (kind is null)
        {
            return ArmEventReadResult.Refused($"Event type '{Cut(type)}' is not handled; only {WriteSuccess} and {DeleteSuccess} are (see infra/footprint/events.yaml, includedEventTypes).");
        }

        if (id is null || id.Length > MaxFieldLength)
        {
            return ArmEventReadResult.Refused("Field 'id' is missing or longer than 256 characters.");
        }

        if (ResourceIdProblem(subject) is { } problem)
        {
            return ArmEventReadResult.Refused($"Field 'subject' {problem}");
        }

        var subscription = subject!.Split('/')[2];
        if (time is null || !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AssumeUniversal, out var eventTime))
        {
            return ArmEventReadResult.Refused($"Field '{timeField}' is missing or not an ISO-8601 time.");
        }

        if (topic is not null && !string.Equals(topic, "/subscriptions/" + subscription, StringComparison.OrdinalIgnoreCase))
        {
            return ArmEventReadResult.Refused($"Field '{topicField}' ('{Cut(topic)}') is not the subscription of the subject (/subscriptions/{subscription}).");
        }

        if (dataNode is not JsonObject data)
        {
            return ArmEventReadResult.Refused("Field 'data' is missing or not an object.");
        }

        if (String(data, "subscriptionId") is { } dataSubscription && !string.Equals(dataSubscription, subscription, StringComparison.OrdinalIgnoreCase))
        {
            return ArmEventReadResult.Refused("Field 'data.subscriptionId' does not match the subject's subscription.");
        }

        if (String(data, "resourceUri") is { } uri && !string.Equals(uri, subject, StringComparison.OrdinalIgnoreCase))
        {
            return ArmEventReadResult.Refused("Field 'data.resourceUri' does not match the subject.");
        }

        if (String(data, "status") is { } status && !string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            return ArmEventReadResult.Refused($"Field 'data.status' is '{Cut(status)}'; only succeeded operations are handled.");
        }

        if (ReadActor(data, out var principals) is not { } actor)
        {
            return ArmEventReadResult.Refused($"Field 'data.claims' must be an object of at most {MaxClaims} string claims.");
        }

        return new ArmEventReadResult(
            new ArmChangeEvent(id, kind.Value, subject, subscription, eventTime, actor, Clean(String(data, "operationName")), Clean(String(data, "correlationId")), schema) { PrincipalIds = principals },
            null);
    }

    /// <summary>Why <paramref name="id"/> is not a resource id an event may name, or null when it is one.</summary>
    /// <param name="id">The candidate.</param>
    /// <returns>The reason (a sentence fragment), or null.</returns>
    public static string? ResourceIdProblem(string? id)
    {
        if (id is null)
        {
            return "is missing.";
        }

        if (id.Length > MaxResourceIdLength)
        {
            return $"is {id.Length} characters; a resource id is at most {MaxResourceIdLength}.";
        }

        var segments = id.Split('/');
        if (segments.Length < 5 || segments[0].Length != 0 || !string.Equals(segments[1], "subscriptions", StringComparison.OrdinalIgnoreCase) || !Guid.TryParseExact(segments[2], "D", out _))
        {
            return "is not a resource id under a subscription (/subscriptions/<guid>/...).";
        }

        if (segments.Skip(1).Any(s => s.Length == 0 || s is "." or ".."))
        {
            return "has an empty, '.' or '..' segment.";
        }

        if (id.Any(c => char.IsControl(c) || c is '?' or '#' or '\\' or '%' or ' '))
        {
            return "holds a character a resource id does not (control characters, '?', '#', '\\', '%' or a space).";
        }

        var group = string.Equals(segments[3], "resourceGroups", StringComparison.OrdinalIgnoreCase);
        var provider = segments.Any(s => string.Equals(s, "providers", StringComparison.OrdinalIgnoreCase));
        return group || provider ? null : "names neither a resource group nor a provider resource.";
    }

    // The caller: a person's UPN (or name), the client app, the object id; principal ids normalised for comparison.
    private static ChangeActor? ReadActor(JsonObject data, out IReadOnlyList<string> principals)
    {
        principals = [];
        var claims = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (data["claims"] is { } claimsNode)
        {
            if (claimsNode is not JsonObject claimsObject || claimsObject.Count > MaxClaims)
            {
                return null;
            }

            foreach (var (claim, value) in claimsObject)
            {
                if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    claims[claim] = v.GetValue<string>();
                }
                else if (value is not null)
                {
                    return null;
                }
            }
        }

        var evidence = data["authorization"]?["evidence"] as JsonObject;
        var principalType = Clean(evidence is null ? null : String(evidence, "principalType"));
        var evidencePrincipal = evidence is null ? null : String(evidence, "principalId");
        var appId = Clean(claims.GetValueOrDefault("appid") ?? claims.GetValueOrDefault("azp"));
        var objectId = Clean(claims.GetValueOrDefault(ObjectIdClaim) ?? claims.GetValueOrDefault("oid") ?? evidencePrincipal);
        var name = Clean(claims.GetValueOrDefault(UpnClaim) ?? claims.GetValueOrDefault("upn") ?? claims.GetValueOrDefault(NameClaim) ?? claims.GetValueOrDefault("unique_name"));
        var isApplication = name is null
            && (string.Equals(principalType, "ServicePrincipal", StringComparison.OrdinalIgnoreCase)
                || string.Equals(claims.GetValueOrDefault("idtyp"), "app", StringComparison.OrdinalIgnoreCase)
                || appId is not null);
        principals = new[] { appId, objectId, Clean(evidencePrincipal) }
            .OfType<string>()
            .Select(NormalizePrincipal)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new ChangeActor(name, appId, objectId, principalType, ClientTypes.Of(appId, isApplication));
    }

    /// <summary>A principal id in the form compared with the reconciler's own: lower case, without dashes or braces.</summary>
    /// <param name="id">An app id or object id.</param>
    /// <returns>The normalised id.</returns>
    public static string NormalizePrincipal(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new string(id.Where(c => c is not ('-' or '{' or '}') && !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
    }

    private static string? String(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    // Display fields: no control characters (log and page injection), bounded length.
    private static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var clean = new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : Cut(clean);
    }

    private static string Cut(string value) => value.Length <= MaxFieldLength ? value : value[..MaxFieldLength];

    private static string? DecodeBase64(string text)
    {
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return null;
        }

        try
        {
            var decoded = s_strictUtf8.GetString(buffer, 0, written);
            return decoded.TrimStart().StartsWith('{') || decoded.TrimStart().StartsWith('[') ? decoded : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
