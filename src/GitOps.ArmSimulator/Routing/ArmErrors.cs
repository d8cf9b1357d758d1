namespace GitOps.ArmSimulator.Routing;

/// <summary>The ARM error answers the simulator gives, with ARM's codes and wording.</summary>
internal static class ArmErrors
{
    public static ArmResponse MissingApiVersion() => ArmResponse.Error(400, "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.");

    public static ArmResponse AuthenticationFailed() => ArmResponse.Error(401, "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.")
        .WithHeader("WWW-Authenticate",
            "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", error_description=\"The authentication failed because of missing 'Authorization' header.\"");

    public static ArmResponse ResourceGroupNotFound(string name) =>
        ArmResponse.Error(404, "ResourceGroupNotFound", $"Resource group '{name}' could not be found.");

    public static ArmResponse ResourceNotFound(ArmResourceId id) => ArmResponse.Error(404, "ResourceNotFound",
        id.ResourceGroup is null
            ? $"The Resource '{id.FullType}/{string.Join('/', id.NameSegments)}' was not found."
            : $"The Resource '{id.FullType}/{string.Join('/', id.NameSegments)}' under resource group '{id.ResourceGroup}' was not found.");

    public static ArmResponse ParentResourceNotFound(string parentId) => ArmResponse.Error(404, "ParentResourceNotFound",
        $"Can not perform requested operation on nested resource. Parent resource '{parentId}' not found.");

    public static ArmResponse AnotherOperationInProgress(string id) => ArmResponse.Error(409, "AnotherOperationInProgress",
        $"Another operation on '{id}' is in progress. Retry after it completes.");

    public static ArmResponse ResourceGroupBeingDeleted(string name) => ArmResponse.Error(409, "ResourceGroupBeingDeleted",
        $"The resource group '{name}' is in deprovisioning state and cannot perform this operation.");

    public static ArmResponse InvalidRequestContent(string detail) =>
        ArmResponse.Error(400, "InvalidRequestContent", $"The request content was invalid and could not be deserialized: {detail}");

    public static ArmResponse InvalidListQuery(string detail) => ArmResponse.Error(400, "InvalidQueryParameterValue", detail);

    public static ArmResponse PreconditionFailed(string detail) => ArmResponse.Error(412, "PreconditionFailed", detail);

    public static ArmResponse MethodNotAllowed(string method, string path) => ArmResponse.Error(405, "MethodNotAllowed",
        $"The simulator does not support {method} on '{path}'. It implements GET/PUT/PATCH/DELETE of resources and GET of listings.");

    public static ArmResponse UnknownPath(string path) => ArmResponse.Error(404, "InvalidRequestUri",
        $"The request path '{path}' is not an ARM path the simulator knows.");

    public static ArmResponse Throttled(string kind, string? subscriptionId, int retryAfterSeconds) => ArmResponse.Error(429,
        "SubscriptionRequestsThrottled",
        $"Number of '{kind}' requests for subscription '{subscriptionId ?? "(tenant)"}' actor 'simulator' exceeded. Please try again after '{retryAfterSeconds}' seconds after additional tokens are available.");
}
