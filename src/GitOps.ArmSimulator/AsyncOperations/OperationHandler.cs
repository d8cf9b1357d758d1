using GitOps.ArmSimulator.Routing;

namespace GitOps.ArmSimulator.AsyncOperations;

/// <summary>The polling URLs: <c>/subscriptions/{s}/operationStatuses/{id}</c> (Azure-AsyncOperation) and <c>/operationResults/{id}</c> (Location).</summary>
internal sealed class OperationHandler
{
    private readonly ArmSimulatorEngine _engine;

    public OperationHandler(ArmSimulatorEngine engine) => _engine = engine;

    public ArmResponse Handle(ArmRequest request)
    {
        if (request.Method != "GET")
        {
            return ArmErrors.MethodNotAllowed(request.Method, string.Join('/', request.Path.Segments));
        }

        lock (_engine.Store.Gate)
        {
            var operation = _engine.Store.FindOperation(request.Path.LastSegment!);
            if (operation is null || !string.Equals(operation.SubscriptionId, request.Path.SubscriptionId, StringComparison.OrdinalIgnoreCase))
            {
                return ArmResponse.Error(404, "OperationNotFound", $"The operation '{request.Path.LastSegment}' was not found.");
            }

            return request.Path.Kind == ArmPathKind.OperationStatus
                ? _engine.Operations.Status(operation, request.BaseUri, request.ApiVersion)
                : _engine.Operations.Result(operation, request.BaseUri, request.ApiVersion);
        }
    }
}
