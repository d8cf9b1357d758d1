using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using GitOps.Core.Manifests;
using GitOps.Core.Ports;

namespace GitOps.Arm;

/// <summary>
/// Reads Key Vault secrets over the REST API (<c>GET {secretUrl}?api-version=7.4</c>) with the same credential as ARM,
/// through the Azure.Core pipeline (bearer token for the vault scope, retries, the custom CA option). Errors name the
/// secret URL and what to grant; they never carry a response body, so no value can leak through them.
/// </summary>
public sealed class KeyVaultSecretResolver : ISecretResolver
{
    private readonly HttpPipeline _pipeline;
    private readonly KeyVaultHostOptions _allowedHosts;

    /// <summary>Creates the resolver.</summary>
    /// <param name="credential">The reconciler's identity (the ARM credential).</param>
    /// <param name="options">Scope, TLS trust and retries; defaults when null.</param>
    /// <exception cref="ArgumentException">The CA certificate is not valid PEM.</exception>
    public KeyVaultSecretResolver(TokenCredential credential, KeyVaultSecretResolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new KeyVaultSecretResolverOptions();
        _allowedHosts = options.AllowedHosts;

        // Responses hold secret values: never log their content, whatever a host turns on for diagnostics.
        options.Diagnostics.IsLoggingContentEnabled = false;
        var pipelineOptions = new HttpPipelineOptions(options);
        pipelineOptions.PerRetryPolicies.Add(new BearerTokenAuthenticationPolicy(credential, options.Scope));
        _pipeline = options.CaCertificatePem is { } pem
            ? HttpPipelineBuilder.Build(pipelineOptions, CustomRootTrust.TransportOptionsFromPem(pem))
            : HttpPipelineBuilder.Build(pipelineOptions);
    }

    /// <inheritdoc />
    public async Task<ResolvedSecret> ResolveAsync(string secretUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secretUrl);

        // The loader already refuses such URLs; this holds even for a caller that skipped it, because the pipeline
        // below attaches the vault token to whatever host the URL names.
        if (_allowedHosts.Check(secretUrl) is { } problem)
        {
            throw new SecretResolutionException(
                secretUrl,
                $"The secret URL {secretUrl} is not an allowed Key Vault URL: it {problem}. Nothing was sent. Use a vault of the configured cloud, or allow the host with GitOps__KeyVault__AllowedHostSuffixes (gitops --keyvault-host-suffix).",
                isTransient: false);
        }

        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri($"{secretUrl.TrimEnd('/')}?api-version={KeyVaultSecretResolverOptions.ApiVersion}"));
        message.Request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error) when (error is RequestFailedException or AuthenticationFailedException or HttpRequestException or AggregateException or OperationCanceledException)
        {
            throw new SecretResolutionException(
                secretUrl,
                $"Could not reach Key Vault for the secret {secretUrl} ({error.GetType().Name}); the run will retry.",
                isTransient: error is not AuthenticationFailedException);
        }

        var response = message.Response;
        return response.Status switch
        {
            200 => Read(secretUrl, response),
            401 or 403 => throw new SecretResolutionException(
                secretUrl,
                $"The reconciler's identity may not read the secret {secretUrl} (HTTP {response.Status}). Grant it the 'Key Vault Secrets User' role on the vault (or an access policy with 'get' on secrets).",
                isTransient: false),
            404 => throw new SecretResolutionException(
                secretUrl,
                $"The secret {secretUrl} does not exist (HTTP 404). Check the vault, secret name and version in the manifest.",
                isTransient: false),
            429 or >= 500 => throw new SecretResolutionException(
                secretUrl,
                $"Key Vault did not answer for the secret {secretUrl} (HTTP {response.Status}); the run will retry.",
                isTransient: true),
            _ => throw new SecretResolutionException(
                secretUrl,
                $"Key Vault refused to read the secret {secretUrl} (HTTP {response.Status}).",
                isTransient: false),
        };
    }

    private static ResolvedSecret Read(string secretUrl, Response response)
    {
        string? value = null;
        string? id = null;
        try
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                value = document.RootElement.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                id = document.RootElement.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Reported below without the parser's message, which may quote the body.
        }

        var version = id is null ? null : VersionOf(id);
        if (value is null || version is null)
        {
            throw new SecretResolutionException(
                secretUrl,
                $"Key Vault's answer for the secret {secretUrl} has no value or no versioned id; is this a Key Vault endpoint?",
                isTransient: false);
        }

        return new ResolvedSecret(value, version);
    }

    // The id is https://{vault}/secrets/{name}/{version}.
    private static string? VersionOf(string id) =>
        Uri.TryCreate(id, UriKind.Absolute, out var uri)
        && uri.AbsolutePath.Trim('/').Split('/') is ["secrets", _, { Length: > 0 } version]
            ? version
            : null;
}
