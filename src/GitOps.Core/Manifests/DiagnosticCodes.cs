namespace GitOps.Core.Manifests;

/// <summary>
/// The stable diagnostic codes. Codes are never reused: tools and docs refer to them.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The file is not valid YAML.</summary>
    public const string YamlSyntax = "GO1001";

    /// <summary>A field the format does not define (a typo such as <c>propertes</c>).</summary>
    public const string UnknownField = "GO1002";

    /// <summary>A required field is missing.</summary>
    public const string MissingField = "GO1003";

    /// <summary><c>type</c> is not <c>Namespace/type[/child...]@api-version</c>.</summary>
    public const string MalformedType = "GO1004";

    /// <summary>A resource name ARM would reject.</summary>
    public const string InvalidName = "GO1005";

    /// <summary>The same resource id is declared twice.</summary>
    public const string DuplicateResource = "GO1006";

    /// <summary>A <c>${{ vars.X }}</c> that the environment does not define.</summary>
    public const string UndefinedVariable = "GO1007";

    /// <summary>A reference or <c>dependsOn</c> naming a resource that is not declared.</summary>
    public const string UnknownReference = "GO1008";

    /// <summary>A dependency cycle.</summary>
    public const string DependencyCycle = "GO1009";

    /// <summary>A field has the wrong shape or value (a list where a map is expected, an unknown enum value).</summary>
    public const string InvalidValue = "GO1010";

    /// <summary>A file, document count, nesting depth or alias expansion over the configured limits.</summary>
    public const string LimitExceeded = "GO1011";

    /// <summary>An environment named on the command line or in a job is not in <c>gitops.yaml</c>.</summary>
    public const string UnknownEnvironment = "GO1012";

    /// <summary>An environment folder that does not exist or holds no manifests.</summary>
    public const string MissingPath = "GO1013";

    /// <summary>
    /// A <c>keyvault('…')</c> URL the reconciler will not send a token to: malformed, not https, or on a host outside the
    /// configured cloud's vaults and the operator's allowed suffixes.
    /// </summary>
    public const string UntrustedSecretUrl = "GO1014";

    /// <summary>A resource (its <c>subscriptionId</c> or <c>scope</c>) in a subscription the environment does not list.</summary>
    public const string SubscriptionNotAllowed = "GO1015";

    /// <summary>
    /// A <c>type@api-version</c> the resource type catalogue does not know: an error (unlike Bicep's BCP081 warning),
    /// because the api-version is sent on the wire and ARM rejects one it does not know. <c>reconcile: { schema: off }</c>
    /// opts a resource out when the catalogue lags a new or preview version.
    /// </summary>
    public const string UnknownResourceType = "GO1016";

    /// <summary>A body property the catalogue does not define for the declared api-version (ARM drops it: drift forever). A warning, as Bicep's BCP037.</summary>
    public const string SchemaUnknownProperty = "GO1017";

    /// <summary>A body value of the wrong JSON type, outside an enum, out of bounds, or the wrong discriminated shape. A warning, as Bicep's BCP036/BCP078.</summary>
    public const string SchemaTypeMismatch = "GO1018";

    /// <summary>A read-only body property is declared: ARM sets it, so it is neither sent nor compared. A warning, as Bicep's BCP073.</summary>
    public const string SchemaReadOnlyProperty = "GO1019";

    /// <summary>A property the catalogue marks required for a PUT is missing. A warning, as Bicep's BCP035.</summary>
    public const string SchemaMissingProperty = "GO1020";

    /// <summary>A policy rule with severity deny matched.</summary>
    public const string PolicyDenied = "GO2001";

    /// <summary>A policy rule with severity warn matched.</summary>
    public const string PolicyWarning = "GO2002";
}
