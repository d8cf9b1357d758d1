using System.Text.Json.Nodes;
using GitOps.ArmSimulator.AsyncOperations;
using GitOps.ArmSimulator.Normalization;
using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator.Resources;

/// <summary>
/// Resources at any depth and scope: PUT, GET, PATCH, DELETE and collection GETs. Bodies are not validated against
/// the type's schema; the simulator reproduces ARM's envelope, not each provider's rules.
/// </summary>
internal sealed class GenericResourceHandler
{
    private readonly ArmSimulatorEngine _engine;

    public GenericResourceHandler(ArmSimulatorEngine engine) => _engine = engine;

    public ArmResponse Handle(ArmRequest request)
    {
        if (request.Path.Kind == ArmPathKind.ResourceCollection)
        {
            return request.Method == "GET" ? List(request) : ArmErrors.MethodNotAllowed(request.Method, string.Join('/', request.Path.Segments));
        }

        var id = request.Path.Resource!;
        return request.Method switch
        {
            "GET" => Get(id),
            "HEAD" => Get(id) is { StatusCode: 200 } ? new ArmResponse(204) : new ArmResponse(404),
            "PUT" => Put(request, id),
            "PATCH" => Patch(request, id),
            "DELETE" => Delete(request, id),
            _ => ArmErrors.MethodNotAllowed(request.Method, id.Id),
        };
    }

    private ArmResponse Get(ArmResourceId id)
    {
        lock (_engine.Store.Gate)
        {
            if (_engine.Store.Find(id.Id) is { } resource)
            {
                _engine.Operations.Observe(resource);
            }

            if (_engine.Store.FindVisible(id.Id) is { } visible)
            {
                return WithETag(new ArmResponse(200, ResourceRenderer.Render(visible, _engine.Store)), visible);
            }

            return MissingScope(id) ?? ArmErrors.ResourceNotFound(id);
        }
    }

    private ArmResponse Put(ArmRequest request, ArmResourceId id)
    {
        if (request.Body is not JsonObject body)
        {
            return ArmErrors.InvalidRequestContent("the body must be a JSON object.");
        }

        var style = _engine.AsyncStyleOf(id.FullType);
        lock (_engine.Store.Gate)
        {
            if (MissingScope(id) is { } missing)
            {
                return missing;
            }

            if (id.ResourceGroupId is { } groupId && _engine.Store.Find(groupId) is { } group && _engine.Operations.IsBusy(group))
            {
                return ArmErrors.ResourceGroupBeingDeleted(id.ResourceGroup!);
            }

            var existing = _engine.Store.Find(id.Id);
            if (existing is not null && _engine.Operations.IsBusy(existing))
            {
                return ArmErrors.AnotherOperationInProgress(existing.Id);
            }

            if (CheckPreconditions(request, id, existing) is { } failed)
            {
                return failed;
            }

            var created = existing is null || !existing.Visible;
            var storedId = existing?.Id ?? id.Id;
            var live = _engine.Normalizer.BuildLiveBody(id, storedId, body, existing?.Body, _engine.Time.GetUtcNow());
            var resource = new StoredResource(id.Key, storedId, id.FullType, live)
            {
                ProvisioningState = style switch
                {
                    ArmAsyncStyle.Synchronous => "Succeeded",
                    ArmAsyncStyle.NonStandardCreated => "Created",
                    _ => created ? "Creating" : "Updating",
                },
                Visible = !(created && style == ArmAsyncStyle.Location),
            };
            _engine.Store.Put(resource);

            var status = created ? 201 : 200;
            if (style is ArmAsyncStyle.Synchronous or ArmAsyncStyle.NonStandardCreated)
            {
                return WithETag(new ArmResponse(status, ResourceRenderer.Render(resource, _engine.Store)), resource);
            }

            var operation = _engine.Operations.Start(resource, id.SubscriptionId ?? "tenant", AsyncOperationAction.Put, style);
            var first = style == ArmAsyncStyle.Location
                ? new ArmResponse(202)
                : WithETag(new ArmResponse(status, ResourceRenderer.Render(resource, _engine.Store)), resource);
            return style == ArmAsyncStyle.ProvisioningState
                ? first
                : _engine.Operations.WithPollingHeaders(first, operation, request.BaseUri, request.ApiVersion);
        }
    }

    /// <summary>PATCH: <c>tags</c> replace the set, everything else is a JSON merge patch (RPC resource-api-reference). Always synchronous.</summary>
    private ArmResponse Patch(ArmRequest request, ArmResourceId id)
    {
        if (request.Body is not JsonObject body)
        {
            return ArmErrors.InvalidRequestContent("the body must be a JSON object.");
        }

        lock (_engine.Store.Gate)
        {
            if (_engine.Store.FindVisible(id.Id) is not { } resource)
            {
                return MissingScope(id) ?? ArmErrors.ResourceNotFound(id);
            }

            if (_engine.Operations.IsBusy(resource))
            {
                return ArmErrors.AnotherOperationInProgress(resource.Id);
            }

            var merged = (JsonObject)resource.Body.DeepClone();
            if (body["tags"] is { } tags)
            {
                merged["tags"] = tags.DeepClone();
            }

            var patch = (JsonObject)body.DeepClone();
            patch.Remove("tags");
            merged = (JsonObject)JsonMergePatch.Apply(merged, patch)!;
            resource.Body = _engine.Normalizer.BuildLiveBody(id, resource.Id, merged, resource.Body, _engine.Time.GetUtcNow());
            return WithETag(new ArmResponse(200, ResourceRenderer.Render(resource, _engine.Store)), resource);
        }
    }

    private ArmResponse Delete(ArmRequest request, ArmResourceId id)
    {
        var style = _engine.AsyncStyleOf(id.FullType);
        lock (_engine.Store.Gate)
        {
            if (_engine.Store.Find(id.Id) is not { } resource)
            {
                return new ArmResponse(204);
            }

            if (_engine.Operations.IsBusy(resource))
            {
                return ArmErrors.AnotherOperationInProgress(resource.Id);
            }

            if (style is ArmAsyncStyle.Synchronous or ArmAsyncStyle.NonStandardCreated)
            {
                _engine.Store.Remove(resource.Id);
                return new ArmResponse(200);
            }

            resource.ProvisioningState = "Deleting";
            var operation = _engine.Operations.Start(resource, id.SubscriptionId ?? "tenant", AsyncOperationAction.Delete, style);
            return _engine.Operations.WithPollingHeaders(new ArmResponse(202), operation, request.BaseUri, request.ApiVersion);
        }
    }

    private ArmResponse List(ArmRequest request)
    {
        var path = request.Path;
        var (parentKey, fullType) = path.Collection!.Value;
        var prefix = parentKey + "/";
        lock (_engine.Store.Gate)
        {
            if (path.SubscriptionId is { } subscription && path.ResourceGroupName is { } groupName
                && _engine.Store.Find(ArmPath.ResourceGroupId(subscription, groupName)) is null)
            {
                return ArmErrors.ResourceGroupNotFound(groupName);
            }

            // A nested collection (…/virtualNetworks/vnet/subnets) or an extension collection on a resource needs that resource.
            if (parentKey.Contains("/providers/", StringComparison.Ordinal) && _engine.Store.FindVisible(parentKey) is null)
            {
                return ArmErrors.ParentResourceNotFound(parentKey);
            }

            var members = _engine.Store.All
                .Where(r => r.Visible && !r.IsResourceGroup
                    && string.Equals(r.Type, fullType, StringComparison.OrdinalIgnoreCase)
                    && r.Key.StartsWith(prefix, StringComparison.Ordinal)
                    && ArmResourceId.TryParse(r.Id) is { } rid
                    && string.Equals((rid.ParentId ?? rid.Scope).ToLowerInvariant(), parentKey, StringComparison.Ordinal))
                .OrderBy(r => r.Key, StringComparer.Ordinal);
            return ListPage.Of(request, _engine.Options.ListPageSize, members, r => r.Key, r => ResourceRenderer.Render(r, _engine.Store));
        }
    }

    /// <summary>The 404 ARM gives when what a resource lives in is missing: its group, its parent, or its scope resource.</summary>
    private ArmResponse? MissingScope(ArmResourceId id)
    {
        if (id.ResourceGroupId is { } groupId && _engine.Store.Find(groupId) is null)
        {
            return ArmErrors.ResourceGroupNotFound(id.ResourceGroup!);
        }

        if (id.ParentId is { } parentId && _engine.Store.FindVisible(parentId) is null)
        {
            return ArmErrors.ParentResourceNotFound(parentId);
        }

        if (id.ScopeIsResource && _engine.Store.FindVisible(id.Scope) is null)
        {
            return ArmErrors.ParentResourceNotFound(id.Scope);
        }

        return null;
    }

    /// <summary>If-Match / If-None-Match as the RPC Addendum table describes; only types that keep an etag check them.</summary>
    private static ArmResponse? CheckPreconditions(ArmRequest request, ArmResourceId id, StoredResource? existing)
    {
        if (!ResourceNormalizer.HasETag(id.FullType))
        {
            return null;
        }

        var exists = existing is { Visible: true };
        if (request.IfNoneMatch == "*" && exists)
        {
            return ArmErrors.PreconditionFailed($"The resource '{id.Id}' already exists and If-None-Match is '*'.");
        }

        if (!string.IsNullOrEmpty(request.IfMatch))
        {
            if (!exists)
            {
                return ArmErrors.PreconditionFailed($"The resource '{id.Id}' does not exist and If-Match is set.");
            }

            if (request.IfMatch != "*" && request.IfMatch != existing!.ETag)
            {
                return ArmErrors.PreconditionFailed($"The If-Match value does not match the current etag of '{id.Id}'.");
            }
        }

        return null;
    }

    private static ArmResponse WithETag(ArmResponse response, StoredResource resource) =>
        resource.ETag is { } etag ? response.WithHeader("ETag", etag) : response;
}
