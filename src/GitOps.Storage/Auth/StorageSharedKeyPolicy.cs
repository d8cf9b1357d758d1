using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace GitOps.Storage.Auth;

/// <summary>
/// Signs each attempt of a request with Shared Key. Add it at <see cref="HttpPipelinePosition.PerRetry"/> so every
/// retry gets a fresh <c>x-ms-date</c> and the signature covers the request-id headers Azure.Core adds per call.
/// </summary>
public sealed class StorageSharedKeyPolicy : HttpPipelineSynchronousPolicy
{
    private readonly StorageSharedKeyCredential _credential;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the policy.</summary>
    /// <param name="credential">The account name and key.</param>
    /// <param name="timeProvider">The clock for <c>x-ms-date</c>; the system clock when null.</param>
    public StorageSharedKeyPolicy(StorageSharedKeyCredential credential, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credential = credential;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Sets <c>x-ms-date</c> and the <c>Authorization: SharedKey</c> header.</summary>
    /// <param name="message">The message about to be sent.</param>
    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Request request = message.Request;
        request.Headers.SetValue(
            "x-ms-date",
            _timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        string stringToSign = SharedKeyStringToSign.Build(request, _credential.AccountName);
        request.Headers.SetValue(
            HttpHeader.Names.Authorization,
            $"SharedKey {_credential.AccountName}:{_credential.ComputeSignature(stringToSign)}");
    }
}
