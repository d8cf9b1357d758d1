using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace GitOps.Storage.Blobs;

/// <summary>
/// One blob container over the Blob REST API (x-ms-version pinned, SharedKey or bearer auth, Azure.Core retries):
/// block blobs with ETag and lease conditions, listing by prefix, and blob leases.
/// Conditional failures throw <see cref="StorageConditionFailedException"/>; other failures <see cref="StorageRequestException"/>.
/// </summary>
public class StorageBlobClient
{
    /// <summary>A lease duration meaning "until released or broken" (sent as <c>x-ms-lease-duration: -1</c>).</summary>
    public static readonly TimeSpan InfiniteLeaseDuration = TimeSpan.FromSeconds(-1);

    /// <summary>The shortest finite lease.</summary>
    public static readonly TimeSpan MinLeaseDuration = TimeSpan.FromSeconds(15);

    /// <summary>The longest finite lease.</summary>
    public static readonly TimeSpan MaxLeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>The most results one List Blobs page can hold.</summary>
    public const int MaxPageSize = 5000;

    private readonly StoragePipeline _pipeline;

    /// <summary>Creates a client for one container.</summary>
    /// <param name="connection">The account and credential; must have a blob endpoint.</param>
    /// <param name="containerName">The container name (3-63 lowercase letters, digits, single hyphens).</param>
    /// <param name="options">Retry, transport and diagnostics options.</param>
    public StorageBlobClient(StorageConnection connection, string containerName, StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        StorageNames.ValidateQueueOrContainerName(containerName, "Container", nameof(containerName));
        Uri endpoint = connection.BlobEndpoint
            ?? throw new ArgumentException(
                $"The storage connection for account '{connection.AccountName}' has no blob endpoint; set BlobEndpoint or a blob service URI.",
                nameof(connection));
        _pipeline = StoragePipeline.Create(connection, options ?? new StorageClientOptions());
        ContainerName = containerName;
        ContainerUri = new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/{containerName}");
    }

    /// <summary>The container name.</summary>
    public string ContainerName { get; }

    /// <summary>The container URL.</summary>
    public Uri ContainerUri { get; }

    /// <summary>Creates the container if it does not exist.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if created; false if it already existed.</returns>
    public async Task<bool> CreateContainerIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using Request request = ContainerRequest(RequestMethod.Put);
        try
        {
            using Response response = await SendAsync(request, "Create container", ContainerName, cancellationToken, 201).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.Status == 409 && ex.ErrorCode == StorageErrorCodes.ContainerAlreadyExists)
        {
            return false;
        }
    }

    /// <summary>Deletes the container and its blobs if it exists.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if deleted; false if it did not exist.</returns>
    public async Task<bool> DeleteContainerIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using Request request = ContainerRequest(RequestMethod.Delete);
        try
        {
            using Response response = await SendAsync(request, "Delete container", ContainerName, cancellationToken, 202).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Writes a block blob in one request.</summary>
    /// <param name="blobName">The blob name; '/' separates virtual folders.</param>
    /// <param name="content">The bytes.</param>
    /// <param name="contentType">The content type stored with the blob.</param>
    /// <param name="conditions">
    /// ETag and lease guards: <see cref="BlobRequestConditions.CreateOnly"/>, <see cref="BlobRequestConditions.IfMatchETag"/>,
    /// or <see cref="BlobRequestConditions.WithLease"/>. Null writes unconditionally.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new ETag and time.</returns>
    /// <exception cref="StorageConditionFailedException">A guard failed (exists, ETag changed, lease missing or wrong).</exception>
    public async Task<BlobUploadResult> UploadAsync(
        string blobName,
        BinaryData content,
        string contentType = "application/octet-stream",
        BlobRequestConditions? conditions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        using Request request = BlobRequest(RequestMethod.Put, blobName);
        request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        request.Headers.SetValue("Content-Type", contentType);
        ApplyConditions(request, conditions);
        request.Content = RequestContent.Create(content);
        using Response response = await SendAsync(request, "Put blob", Resource(blobName), cancellationToken, 201).ConfigureAwait(false);
        return new BlobUploadResult(RequiredETag(response, "Put blob"), LastModified(response));
    }

    /// <summary>Reads a blob with its ETag.</summary>
    /// <param name="blobName">The blob name.</param>
    /// <param name="conditions">Optional guards (for example a lease id or <c>If-Match</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The content and properties, or null when the blob (or container) does not exist.</returns>
    public async Task<BlobDownloadResult?> DownloadAsync(string blobName, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using Request request = BlobRequest(RequestMethod.Get, blobName);
        ApplyConditions(request, conditions);
        try
        {
            using Response response = await SendAsync(request, "Get blob", Resource(blobName), cancellationToken, 200).ConfigureAwait(false);
            return new BlobDownloadResult(response.Content, Properties(blobName, response));
        }
        catch (StorageRequestException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Reads a blob's properties without its content (HEAD).</summary>
    /// <param name="blobName">The blob name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The properties, or null when the blob does not exist.</returns>
    public async Task<BlobProperties?> GetPropertiesAsync(string blobName, CancellationToken cancellationToken = default)
    {
        using Request request = BlobRequest(RequestMethod.Head, blobName);
        try
        {
            using Response response = await SendAsync(request, "Get blob properties", Resource(blobName), cancellationToken, 200).ConfigureAwait(false);
            return Properties(blobName, response);
        }
        catch (StorageRequestException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes a blob.</summary>
    /// <param name="blobName">The blob name.</param>
    /// <param name="conditions">Optional ETag or lease guards.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True if deleted; false if it did not exist.</returns>
    public async Task<bool> DeleteIfExistsAsync(string blobName, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using Request request = BlobRequest(RequestMethod.Delete, blobName);
        ApplyConditions(request, conditions);
        try
        {
            using Response response = await SendAsync(request, "Delete blob", Resource(blobName), cancellationToken, 202).ConfigureAwait(false);
            return true;
        }
        catch (StorageRequestException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Lists blobs whose names start with <paramref name="prefix"/>, following continuation markers to the end.</summary>
    /// <param name="prefix">The name prefix, for example <c>runs/prod/</c>; null or empty for all.</param>
    /// <param name="pageSize">Results per request (1 to 5000); the service default when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The blobs in name order.</returns>
    public async IAsyncEnumerable<BlobItem> ListBlobsAsync(
        string? prefix = null,
        int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            BlobListPage page = await ListBlobsPageAsync(prefix, marker, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (BlobItem item in page.Items)
            {
                yield return item;
            }

            marker = page.NextMarker;
        }
        while (marker is not null);
    }

    /// <summary>Reads one page of List Blobs.</summary>
    /// <param name="prefix">The name prefix; null or empty for all.</param>
    /// <param name="marker">The <see cref="BlobListPage.NextMarker"/> of the previous page, or null for the first.</param>
    /// <param name="pageSize">Results per page (1 to 5000); the service default when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the marker for the next one.</returns>
    public async Task<BlobListPage> ListBlobsPageAsync(string? prefix, string? marker, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"A page holds 1 to {MaxPageSize} blobs.");
        }

        using Request request = ContainerRequest(RequestMethod.Get);
        request.Uri.AppendQuery("comp", "list");
        if (!string.IsNullOrEmpty(prefix))
        {
            request.Uri.AppendQuery("prefix", prefix);
        }

        if (!string.IsNullOrEmpty(marker))
        {
            request.Uri.AppendQuery("marker", marker);
        }

        if (pageSize is { } size)
        {
            request.Uri.AppendQuery("maxresults", size.ToString(CultureInfo.InvariantCulture));
        }

        using Response response = await SendAsync(request, "List blobs", $"{ContainerName}/{prefix}", cancellationToken, 200).ConfigureAwait(false);
        XElement root;
        try
        {
            root = StorageXml.Parse(response.Content);
        }
        catch (XmlException ex)
        {
            throw new InvalidOperationException($"List blobs '{ContainerName}' returned XML that could not be read: {ex.Message}", ex);
        }

        List<BlobItem> items = root.Element("Blobs")?.Elements("Blob").Select(ParseItem).ToList() ?? [];
        string? next = root.Element("NextMarker")?.Value;
        return new BlobListPage(items, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>Acquires a lease on an existing blob.</summary>
    /// <param name="blobName">The blob name (the blob must exist).</param>
    /// <param name="duration">15 to 60 seconds, or <see cref="InfiniteLeaseDuration"/>.</param>
    /// <param name="proposedLeaseId">The lease id to use (a GUID string); the service picks one when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease id.</returns>
    /// <exception cref="StorageConditionFailedException"><see cref="StorageConditionFailure.LeaseAlreadyPresent"/> when someone else holds it.</exception>
    public async Task<string> AcquireLeaseAsync(string blobName, TimeSpan duration, string? proposedLeaseId = null, CancellationToken cancellationToken = default)
    {
        string durationValue = LeaseDurationHeader(duration);
        using Request request = LeaseRequest(blobName, "acquire");
        request.Headers.SetValue("x-ms-lease-duration", durationValue);
        if (proposedLeaseId is not null)
        {
            request.Headers.SetValue("x-ms-proposed-lease-id", ValidLeaseId(proposedLeaseId, nameof(proposedLeaseId)));
        }

        using Response response = await SendAsync(request, "Acquire lease", Resource(blobName), cancellationToken, 201).ConfigureAwait(false);
        return LeaseIdHeader(response, "Acquire lease");
    }

    /// <summary>Renews a lease (resets its duration). An expired lease can be renewed if nobody else acquired or modified the blob.</summary>
    /// <param name="blobName">The blob name.</param>
    /// <param name="leaseId">The lease id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StorageConditionFailedException">The lease was lost, broken or is not this one.</exception>
    public async Task RenewLeaseAsync(string blobName, string leaseId, CancellationToken cancellationToken = default)
    {
        using Request request = LeaseRequest(blobName, "renew");
        request.Headers.SetValue("x-ms-lease-id", ValidLeaseId(leaseId, nameof(leaseId)));
        using Response response = await SendAsync(request, "Renew lease", Resource(blobName), cancellationToken, 200).ConfigureAwait(false);
    }

    /// <summary>Releases a lease so another party can acquire it at once.</summary>
    /// <param name="blobName">The blob name.</param>
    /// <param name="leaseId">The lease id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task ReleaseLeaseAsync(string blobName, string leaseId, CancellationToken cancellationToken = default)
    {
        using Request request = LeaseRequest(blobName, "release");
        request.Headers.SetValue("x-ms-lease-id", ValidLeaseId(leaseId, nameof(leaseId)));
        using Response response = await SendAsync(request, "Release lease", Resource(blobName), cancellationToken, 200).ConfigureAwait(false);
    }

    /// <summary>Changes the id of a held lease.</summary>
    /// <param name="blobName">The blob name.</param>
    /// <param name="leaseId">The current lease id.</param>
    /// <param name="proposedLeaseId">The new lease id (a GUID string).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new lease id.</returns>
    public async Task<string> ChangeLeaseAsync(string blobName, string leaseId, string proposedLeaseId, CancellationToken cancellationToken = default)
    {
        using Request request = LeaseRequest(blobName, "change");
        request.Headers.SetValue("x-ms-lease-id", ValidLeaseId(leaseId, nameof(leaseId)));
        request.Headers.SetValue("x-ms-proposed-lease-id", ValidLeaseId(proposedLeaseId, nameof(proposedLeaseId)));
        using Response response = await SendAsync(request, "Change lease", Resource(blobName), cancellationToken, 200).ConfigureAwait(false);
        return LeaseIdHeader(response, "Change lease");
    }

    /// <summary>Breaks whatever lease the blob has, without knowing its id (an operator's unlock).</summary>
    /// <param name="blobName">The blob name.</param>
    /// <param name="breakPeriod">0 to 60 seconds before the lease ends; null breaks a finite lease when it expires and an infinite one at once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The time left until the lease is broken (zero when broken at once).</returns>
    public async Task<TimeSpan> BreakLeaseAsync(string blobName, TimeSpan? breakPeriod = null, CancellationToken cancellationToken = default)
    {
        using Request request = LeaseRequest(blobName, "break");
        if (breakPeriod is { } period)
        {
            if (period < TimeSpan.Zero || period > MaxLeaseDuration)
            {
                throw new ArgumentOutOfRangeException(nameof(breakPeriod), period, "The break period must be 0 to 60 seconds.");
            }

            request.Headers.SetValue("x-ms-lease-break-period", ((long)period.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        using Response response = await SendAsync(request, "Break lease", Resource(blobName), cancellationToken, 202).ConfigureAwait(false);
        return response.Headers.TryGetValue("x-ms-lease-time", out string? seconds)
            ? TimeSpan.FromSeconds(long.Parse(seconds, CultureInfo.InvariantCulture))
            : TimeSpan.Zero;
    }

    private string Resource(string blobName) => $"{ContainerName}/{blobName}";

    private Request ContainerRequest(RequestMethod method)
    {
        Request request = _pipeline.CreateRequest(method, ContainerUri);
        request.Uri.AppendQuery("restype", "container");
        return request;
    }

    private Request BlobRequest(RequestMethod method, string blobName)
    {
        StorageNames.ValidateBlobName(blobName, nameof(blobName));
        Request request = _pipeline.CreateRequest(method, ContainerUri);
        request.Uri.AppendPath("/" + StorageNames.EscapeBlobPath(blobName), escape: false);
        return request;
    }

    private Request LeaseRequest(string blobName, string action)
    {
        Request request = BlobRequest(RequestMethod.Put, blobName);
        request.Uri.AppendQuery("comp", "lease");
        request.Headers.SetValue("x-ms-lease-action", action);
        return request;
    }

    private Task<Response> SendAsync(Request request, string operation, string resource, CancellationToken cancellationToken, params int[] expected) =>
        _pipeline.SendAsync(request, operation, resource, cancellationToken, expected);

    private static void ApplyConditions(Request request, BlobRequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", ifMatch.ToString("H"));
        }

        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", ifNoneMatch.ToString("H"));
        }

        if (conditions.IfModifiedSince is { } modifiedSince)
        {
            request.Headers.SetValue("If-Modified-Since", modifiedSince.ToString("R", CultureInfo.InvariantCulture));
        }

        if (conditions.IfUnmodifiedSince is { } unmodifiedSince)
        {
            request.Headers.SetValue("If-Unmodified-Since", unmodifiedSince.ToString("R", CultureInfo.InvariantCulture));
        }

        if (conditions.LeaseId is { } leaseId)
        {
            request.Headers.SetValue("x-ms-lease-id", ValidLeaseId(leaseId, nameof(conditions)));
        }
    }

    private static string LeaseDurationHeader(TimeSpan duration)
    {
        if (duration == InfiniteLeaseDuration || duration == Timeout.InfiniteTimeSpan)
        {
            return "-1";
        }

        if (duration < MinLeaseDuration || duration > MaxLeaseDuration || duration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease lasts 15 to 60 whole seconds, or InfiniteLeaseDuration.");
        }

        return ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }

    private static string ValidLeaseId(string leaseId, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseId, parameterName);
        if (!Guid.TryParse(leaseId, out _))
        {
            throw new ArgumentException("A lease id must be a GUID string.", parameterName);
        }

        return leaseId;
    }

    private static string LeaseIdHeader(Response response, string operation) =>
        response.Headers.TryGetValue("x-ms-lease-id", out string? id) && !string.IsNullOrEmpty(id)
            ? id
            : throw new InvalidOperationException($"{operation} succeeded but the response had no x-ms-lease-id header.");

    private static ETag RequiredETag(Response response, string operation) =>
        response.Headers.ETag ?? throw new InvalidOperationException($"{operation} succeeded but the response had no ETag.");

    private static DateTimeOffset LastModified(Response response) =>
        response.Headers.TryGetValue("Last-Modified", out string? value) ? ParseTime(value) : DateTimeOffset.MinValue;

    private static BlobProperties Properties(string blobName, Response response)
    {
        response.Headers.TryGetValue("x-ms-lease-state", out string? leaseState);
        return new BlobProperties(
            blobName,
            RequiredETag(response, "Get blob"),
            LastModified(response),
            response.Headers.ContentLength ?? 0,
            response.Headers.ContentType,
            ParseLeaseState(leaseState));
    }

    private static BlobItem ParseItem(XElement blob)
    {
        XElement properties = blob.Element("Properties") ?? new XElement("Properties");
        string? Text(string name) => properties.Element(name)?.Value;
        string? lastModified = Text("Last-Modified");
        string? etag = Text("Etag");
        string? length = Text("Content-Length");
        string? contentType = Text("Content-Type");
        return new BlobItem(
            blob.Element("Name")?.Value ?? throw new InvalidOperationException("A List Blobs entry has no <Name>."),
            string.IsNullOrEmpty(etag) ? default : new ETag(etag),
            lastModified is null ? DateTimeOffset.MinValue : ParseTime(lastModified),
            length is null ? 0 : long.Parse(length, CultureInfo.InvariantCulture),
            string.IsNullOrEmpty(contentType) ? null : contentType,
            ParseLeaseState(Text("LeaseState")));
    }

    private static BlobLeaseState ParseLeaseState(string? value) =>
        Enum.TryParse(value, ignoreCase: true, out BlobLeaseState state) ? state : BlobLeaseState.Unknown;

    private static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
