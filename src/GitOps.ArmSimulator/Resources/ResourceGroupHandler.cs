using System.Text.Json.Nodes;
using GitOps.ArmSimulator.AsyncOperations;
using GitOps.ArmSimulator.Normalization;
using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator.Resources;

/// <summary>
/// <c>/subscriptions/{s}/resourcegroups[/{rg}[/resources]]</c>. Creating a group is synchronous; deleting one is always
/// asynchronous (202 + Location) and takes everything in the group with it, as in ARM.
/// </summary>
internal sealed class ResourceGroupHandler
{
    private const string GroupType = "Microsoft.Resources/resourceGroups";
    private readonly ArmSimulatorEngine _engine;

    public ResourceGroupHandler(ArmSimulatorEngine engine) => _engine = engine;

    public ArmResponse Handle(ArmRequest request)
    {
        var path = request.Path;
        return (path.Kind, request.Method) switch
        {
            (ArmPathKind.ResourceGroupList, "GET") => List(request, path.SubscriptionId!),
            (ArmPathKind.ResourceGroupResources, "GET") => ListResources(path.SubscriptionId!, path.ResourceGroupName!),
            (ArmPathKind.ResourceGroup, "GET") => Get(path, head: false),
            (ArmPathKind.ResourceGroup, "HEAD") => Get(path, head: true),
            (ArmPathKind.ResourceGroup, "PUT") => Put(request),
            (ArmPathKind.ResourceGroup, "PATCH") => Patch(request),
            (ArmPathKind.ResourceGroup, "DELETE") => Delete(request),
            _ => ArmErrors.MethodNotAllowed(request.Method, string.Join('/', path.Segments)),
        };
    }

    private ArmResponse Get(ArmPath path, bool head)
    {
        var id = ArmPath.ResourceGroupId(path.SubscriptionId!, path.ResourceGroupName!);
        lock (_engine.Store.Gate)
        {
            if (_engine.Store.Find(id) is not { } group)
            {
                return head ? new ArmResponse(404) : ArmErrors.ResourceGroupNotFound(path.ResourceGroupName!);
            }

            _engine.Operations.Observe(group);
            if (_engine.Store.Find(id) is not { } still)
            {
                return head ? new ArmResponse(404) : ArmErrors.ResourceGroupNotFound(path.ResourceGroupName!);
            }

            return head ? new ArmResponse(204) : new ArmResponse(200, ResourceRenderer.Render(still, _engine.Store));
        }
    }

    private ArmResponse Put(ArmRequest request)
    {
        if (request.Body is not JsonObject body)
        {
            return ArmErrors.InvalidRequestContent("the body must be a JSON object with a 'location'.");
        }

        if (JsonEdit.String(body, "location") is not { Length: > 0 } location)
        {
            return ArmResponse.Error(400, "LocationRequired", "The location property is required for this definition.");
        }

        var path = request.Path;
        var id = ArmPath.ResourceGroupId(path.SubscriptionId!, path.ResourceGroupName!);
        lock (_engine.Store.Gate)
        {
            var existing = _engine.Store.Find(id);
            if (existing is not null && _engine.Operations.IsBusy(existing))
            {
                return ArmErrors.ResourceGroupBeingDeleted(existing.Body["name"]!.GetValue<string>());
            }

            if (existing is not null && RegionNames.Compact(JsonEdit.String(existing.Body, "location") ?? location) != RegionNames.Compact(location))
            {
                return ArmResponse.Error(409, "InvalidResourceGroupLocation",
                    $"Invalid resource group location '{location}'. The Resource group already exists in location '{JsonEdit.String(existing.Body, "location")}'.");
            }

            var stored = existing?.Id ?? id;
            var name = stored[(stored.LastIndexOf('/') + 1)..];
            var live = new JsonObject
            {
                ["id"] = stored,
                ["name"] = name,
                ["type"] = GroupType,
                ["location"] = RegionNames.Apply(_engine.Normalizer.LocationStyle(GroupType), existing is null ? location : JsonEdit.String(existing.Body, "location")!),
            };
            foreach (var field in new[] { "tags", "managedBy" })
            {
                if (body[field] is { } value)
                {
                    live[field] = value.DeepClone();
                }
            }

            var group = new StoredResource(stored.ToLowerInvariant(), stored, GroupType, live) { IsResourceGroup = true };
            _engine.Store.Put(group);
            return new ArmResponse(existing is null ? 201 : 200, ResourceRenderer.Render(group, _engine.Store));
        }
    }

    private ArmResponse Patch(ArmRequest request)
    {
        if (request.Body is not JsonObject body)
        {
            return ArmErrors.InvalidRequestContent("the body must be a JSON object.");
        }

        var id = ArmPath.ResourceGroupId(request.Path.SubscriptionId!, request.Path.ResourceGroupName!);
        lock (_engine.Store.Gate)
        {
            if (_engine.Store.Find(id) is not { } group)
            {
                return ArmErrors.ResourceGroupNotFound(request.Path.ResourceGroupName!);
            }

            if (body["tags"] is { } tags)
            {
                // A PATCH of tags replaces the whole set (docs/arm-protocol.md §6).
                group.Body["tags"] = tags.DeepClone();
            }

            return new ArmResponse(200, ResourceRenderer.Render(group, _engine.Store));
        }
    }

    private ArmResponse Delete(ArmRequest request)
    {
        var path = request.Path;
        var id = ArmPath.ResourceGroupId(path.SubscriptionId!, path.ResourceGroupName!);
        lock (_engine.Store.Gate)
        {
            if (_engine.Store.Find(id) is not { } group)
            {
                return ArmErrors.ResourceGroupNotFound(path.ResourceGroupName!);
            }

            if (_engine.Operations.IsBusy(group))
            {
                return ArmErrors.ResourceGroupBeingDeleted(group.Body["name"]!.GetValue<string>());
            }

            group.ProvisioningState = "Deleting";
            var operation = _engine.Operations.Start(group, path.SubscriptionId!, AsyncOperationAction.Delete, ArmAsyncStyle.Location);
            return _engine.Operations.WithPollingHeaders(new ArmResponse(202), operation, request.BaseUri, request.ApiVersion);
        }
    }

    private ArmResponse List(ArmRequest request, string subscriptionId)
    {
        var prefix = $"/subscriptions/{subscriptionId}/resourcegroups/".ToLowerInvariant();
        lock (_engine.Store.Gate)
        {
            var groups = _engine.Store.All
                .Where(r => r.IsResourceGroup && r.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(r => r.Key, StringComparer.Ordinal);
            return ListPage.Of(request, _engine.Options.ListPageSize, groups, r => r.Key, r => ResourceRenderer.Render(r, _engine.Store));
        }
    }

    /// <summary>The top-level resources of a group, in the shape of ARM's "Resources - List By Resource Group".</summary>
    private ArmResponse ListResources(string subscriptionId, string groupName)
    {
        var groupId = ArmPath.ResourceGroupId(subscriptionId, groupName);
        var prefix = groupId.ToLowerInvariant() + "/providers/";
        lock (_engine.Store.Gate)
        {
            if (_engine.Store.Find(groupId) is null)
            {
                return ArmErrors.ResourceGroupNotFound(groupName);
            }

            var value = new JsonArray();
            foreach (var resource in _engine.Store.All
                .Where(r => r.Visible && !r.IsResourceGroup && r.Key.StartsWith(prefix, StringComparison.Ordinal)
                    && r.Key[prefix.Length..].Count(c => c == '/') == 2)
                .OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                var item = new JsonObject();
                foreach (var field in new[] { "id", "name", "type", "location", "kind", "sku", "tags", "managedBy", "identity" })
                {
                    if (resource.Body[field] is { } fieldValue)
                    {
                        item[field] = fieldValue.DeepClone();
                    }
                }

                value.Add(item);
            }

            return new ArmResponse(200, new JsonObject { ["value"] = value });
        }
    }
}
