using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using GitOps.Storage.Auth;

namespace GitOps.Storage;

/// <summary>The Azure.Core pipeline shared by the Queue and Blob clients: version pin, auth, retries, error mapping.</summary>
internal sealed class StoragePipeline
{
    private StoragePipeline(HttpPipeline pipeline, StorageConnection connection)
    {
        Pipeline = pipeline;
        Connection = connection;
    }

    public HttpPipeline Pipeline { get; }

    public StorageConnection Connection { get; }

    public static StoragePipeline Create(StorageConnection connection, StorageClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        HttpPipelinePolicy auth = connection.SharedKeyCredential is { } key
            ? new StorageSharedKeyPolicy(key)
            : new BearerTokenAuthenticationPolicy(connection.TokenCredential!, StorageConnection.TokenScope);
        HttpPipeline pipeline = HttpPipelineBuilder.Build(
            options,
            perCallPolicies: [new StorageServiceVersionPolicy(StorageClientOptions.ServiceVersion)],
            perRetryPolicies: [auth],
            responseClassifier: new ResponseClassifier());
        return new StoragePipeline(pipeline, connection);
    }

    public Request CreateRequest(RequestMethod method, Uri baseUri)
    {
        Request request = Pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(baseUri);
        return request;
    }

    public async Task<Response> SendAsync(Request request, string operation, string resource, CancellationToken cancellationToken, params int[] expectedStatuses)
    {
        Response response = await Pipeline.SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (Array.IndexOf(expectedStatuses, response.Status) >= 0)
        {
            return response;
        }

        StorageRequestException error = CreateException(response, operation, resource);
        response.Dispose();
        throw error;
    }

    public static StorageRequestException CreateException(Response response, string operation, string resource)
    {
        (string? code, string? serviceMessage) = ReadError(response);
        StorageConditionFailure? condition = ClassifyCondition(response.Status, code);
        string reason = code ?? response.ReasonPhrase;
        string message = $"{operation} '{resource}' failed: {response.Status} {reason}";
        if (code == StorageErrorCodes.AuthenticationFailed)
        {
            // The service's text can quote the computed signature; keep only the actionable hint.
            message += ". Check the account key, or the identity's role assignment and token audience.";
        }
        else if (!string.IsNullOrWhiteSpace(serviceMessage))
        {
            message += $". {serviceMessage}";
        }

        return condition is { } kind
            ? new StorageConditionFailedException(kind, response.Status, code, operation, resource, message)
            : new StorageRequestException(response.Status, code, operation, resource, message);
    }

    public static StorageConditionFailure? ClassifyCondition(int status, string? code) => code switch
    {
        StorageErrorCodes.ConditionNotMet => StorageConditionFailure.ConditionNotMet,
        StorageErrorCodes.BlobAlreadyExists => StorageConditionFailure.BlobAlreadyExists,
        StorageErrorCodes.LeaseAlreadyPresent => StorageConditionFailure.LeaseAlreadyPresent,
        StorageErrorCodes.LeaseIdMissing => StorageConditionFailure.LeaseIdMissing,
        StorageErrorCodes.LeaseIdMismatchWithBlobOperation or StorageErrorCodes.LeaseIdMismatchWithLeaseOperation => StorageConditionFailure.LeaseIdMismatch,
        StorageErrorCodes.LeaseNotPresentWithBlobOperation or StorageErrorCodes.LeaseNotPresentWithLeaseOperation => StorageConditionFailure.LeaseNotPresent,
        StorageErrorCodes.LeaseLost => StorageConditionFailure.LeaseLost,
        StorageErrorCodes.LeaseIsBrokenAndCannotBeRenewed or StorageErrorCodes.LeaseIsBreakingAndCannotBeAcquired
            or StorageErrorCodes.LeaseIsBreakingAndCannotBeChanged or StorageErrorCodes.LeaseAlreadyBroken => StorageConditionFailure.LeaseBroken,
        // HEAD responses carry no body and sometimes no code header.
        null when status == 412 => StorageConditionFailure.ConditionNotMet,
        _ => null,
    };

    private static (string? Code, string? Message) ReadError(Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out string? code);
        string? message = null;
        try
        {
            BinaryData? body = response.Content;
            if (body is not null && !body.ToMemory().IsEmpty)
            {
                XElement root = StorageXml.Parse(body);
                code ??= root.Element("Code")?.Value;
                // Only the first line: later lines are RequestId/Time noise or, for auth failures, the string to sign.
                message = root.Element("Message")?.Value.Split('\n', 2)[0].Trim();
            }
        }
        catch (System.Xml.XmlException)
        {
            // Not an XML error body (a proxy page, an empty body): the status and header code are enough.
        }

        return (string.IsNullOrWhiteSpace(code) ? null : code, message);
    }
}
