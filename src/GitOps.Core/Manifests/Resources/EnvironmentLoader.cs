using GitOps.Core.Manifests.Expressions;
using GitOps.Core.Manifests.Validation;
using GitOps.Core.Manifests.Yaml;
using GitOps.Core.Ports;

namespace GitOps.Core.Manifests.Resources;

/// <summary>
/// Loads one environment in phases, collecting every problem: read files (limits first), read documents (identity
/// fields), resolve ids (scopes), check duplicates, build bodies (expressions, references, shapes), check cycles.
/// </summary>
internal sealed class EnvironmentLoader(ManifestLimits limits, ExpressionExpander expander, IResourceTypeCatalog? types = null)
{
    private readonly CatalogueCheck? _catalogue = types is null ? null : new CatalogueCheck(types);

    /// <summary>Most cycles reported in one run: after a few, the rest is noise.</summary>
    private const int MaxCyclesReported = 10;

    /// <summary>Loads the environment.</summary>
    public EnvironmentLoadResult Load(IFileTree tree, EnvironmentDefinition environment)
    {
        var diagnostics = new List<Diagnostic>();
        var documents = ReadFiles(tree, environment, diagnostics, out var unreadableFiles);

        var reader = new ResourceDocumentReader(environment, expander, diagnostics, types);
        var drafts = new List<ResourceDraft>();
        foreach (var document in documents)
        {
            if (reader.Read(document) is { } draft)
            {
                drafts.Add(draft);
            }
        }

        var resolver = new ResourceResolver(drafts, environment, expander, diagnostics, unreadableFiles);
        resolver.ResolveIds();
        var unique = RejectDuplicates(drafts, diagnostics);

        var builder = new BodyBuilder(expander, diagnostics);
        var resources = new List<DeclaredResource>();
        foreach (var draft in drafts)
        {
            var resource = Build(draft, environment, builder, resolver, diagnostics);
            if (resource is not null && unique.Contains(draft))
            {
                resources.Add(resource);
            }
        }

        ReportCycles(resources, diagnostics);
        return new EnvironmentLoadResult(environment, resources, SourceLocationOrder.Sort(diagnostics));
    }

    private List<YamlDocument> ReadFiles(IFileTree tree, EnvironmentDefinition environment, List<Diagnostic> diagnostics, out int unreadableFiles)
    {
        unreadableFiles = 0;
        var documents = new List<YamlDocument>();
        var folderName = environment.Path.Length == 0 ? "the repository root" : $"'{environment.Path}'";
        var files = ManifestFileSelector.Select(tree, environment.Path, out var otherFiles);
        if (files.Count == 0)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.MissingPath, environment.Location,
                otherFiles == 0
                    ? $"Environment '{environment.Name}': folder {folderName} does not exist or is empty in {tree.DisplayName}."
                    : $"Environment '{environment.Name}': folder {folderName} holds no manifests (*.yaml or *.yml).",
                "Fix the environment's path in gitops.yaml, or add resource manifests to the folder."));
            return documents;
        }

        long totalBytes = 0;
        for (var index = 0; index < files.Count; index++)
        {
            var file = files[index];

            // Sizes come before content: an oversized file is refused without reading it.
            var size = tree.GetFileSize(file);
            if (size > limits.MaxFileBytes)
            {
                unreadableFiles++;
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.LimitExceeded, SourceLocation.OfFile(file),
                    $"'{file}' is {size} bytes; the limit is {limits.MaxFileBytes} bytes per file.",
                    "Split it into several files."));
                continue;
            }

            totalBytes += size;
            if (totalBytes > limits.MaxEnvironmentBytes)
            {
                unreadableFiles += files.Count - index;
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.LimitExceeded, SourceLocation.OfFile(file),
                    $"Environment '{environment.Name}' holds more than {limits.MaxEnvironmentBytes} bytes of manifests; reading stopped at this file.",
                    "Split the environment into several environments."));
                break;
            }

            var before = diagnostics.Count;
            var read = YamlFileReader.Read(file, tree.ReadFile(file), limits, diagnostics);
            if (diagnostics.Skip(before).Any(d => d.Code is DiagnosticCodes.YamlSyntax or DiagnosticCodes.LimitExceeded))
            {
                unreadableFiles++;
            }

            foreach (var document in read)
            {
                if (document.Root is YamlScalar scalar && YamlCoreSchema.IsNull(scalar))
                {
                    continue;
                }

                if (documents.Count >= limits.MaxResourcesPerEnvironment)
                {
                    unreadableFiles++;
                    diagnostics.Add(Diagnostic.Error(
                        DiagnosticCodes.LimitExceeded, document.Location,
                        $"Environment '{environment.Name}' declares more than {limits.MaxResourcesPerEnvironment} resources; reading stopped here.",
                        "Split the environment into several environments."));
                    return documents;
                }

                documents.Add(document);
            }
        }

        return documents;
    }

    private static HashSet<ResourceDraft> RejectDuplicates(List<ResourceDraft> drafts, List<Diagnostic> diagnostics)
    {
        var unique = new HashSet<ResourceDraft>();
        var first = new Dictionary<string, ResourceDraft>(ResourceIds.Comparer);
        foreach (var draft in drafts)
        {
            if (draft.Id is null)
            {
                continue;
            }

            if (first.TryGetValue(draft.Id, out var original))
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.DuplicateResource, draft.Location,
                    $"Resource {draft.Id} is declared twice: here and at {original.Location} (ids are compared ignoring case).",
                    "Remove one of the two documents, or give them different names."));
                continue;
            }

            first[draft.Id] = draft;
            unique.Add(draft);
        }

        return unique;
    }

    private DeclaredResource? Build(
        ResourceDraft draft, EnvironmentDefinition environment, BodyBuilder builder, ResourceResolver resolver, List<Diagnostic> diagnostics)
    {
        var context = new ExpressionContext
        {
            Environment = environment,
            Diagnostics = diagnostics,
            ResolveReference = (reference, at) => resolver.ResolveForExpression(reference, draft, at),
            SecretsAllowed = true,
            KeyVaultHosts = limits.KeyVaultHosts,
        };

        // Bodies are built even for drafts without an id, so their errors show in the same run.
        var locations = new Dictionary<string, SourceLocation>(draft.FieldLocations, StringComparer.Ordinal);
        var secrets = new List<SecretReference>();
        var body = builder.Build(draft, context, locations, secrets);
        var schema = draft.TypeName is not null && draft.Reconcile.Schema == SchemaCheck.On
            ? _catalogue?.Find(draft.TypeName, At(locations, "/type", draft.Location), diagnostics)
            : null;
        if (schema is not null && !CatalogueCheck.IsWritable(schema, draft, At(locations, "/type", draft.Location), environment.StrictSchema, diagnostics))
        {
            schema = null;
        }

        BodyValidator.Validate(body, locations, draft.Location, diagnostics, checkReadOnlyNames: schema is null);
        if (schema is not null)
        {
            // Read-only properties are reported, then left out: ARM sets them, so they are neither sent nor compared.
            var readOnly = SchemaValidator.Validate(schema, draft.Name, body, locations, draft.Location, environment.StrictSchema, diagnostics);
            foreach (var pointer in readOnly)
            {
                Pointers.JsonPointer.Remove(body, pointer);
            }
        }

        var dependencies = new List<string>();
        var dependsOnContext = new ExpressionContext
        {
            Environment = environment,
            Diagnostics = diagnostics,
            ResolveReference = context.ResolveReference,
        };
        foreach (var node in draft.DependsOnNodes)
        {
            var expanded = expander.Expand(node, dependsOnContext);
            if (!expanded.Failed && resolver.Resolve(expanded.Value, draft, node.Location, "dependsOn", mustBeDeclared: true) is { } reference)
            {
                dependencies.Add(reference.Id);
            }
        }

        if (draft.Id is null || draft.TypeName is null || draft.Name is null)
        {
            return null;
        }

        // Explicit ones first as written, then the implied ones sorted, so the list is the same on every run.
        dependencies.AddRange(context.References.Order(ResourceIds.Comparer));
        dependencies.AddRange(dependsOnContext.References.Order(ResourceIds.Comparer));
        dependencies.AddRange(draft.Dependencies.Order(ResourceIds.Comparer));
        return new DeclaredResource
        {
            Id = draft.Id,
            Type = draft.TypeName.Type,
            ApiVersion = draft.TypeName.ApiVersion,
            Name = draft.Name,
            SubscriptionId = draft.SubscriptionId,
            ResourceGroup = draft.Scope is null ? draft.ResourceGroup : null,
            Scope = draft.Scope,
            Body = body,
            DependsOn = dependencies.Where(d => !ResourceIds.AreSame(d, draft.Id)).Distinct(ResourceIds.Comparer).ToList(),
            Reconcile = draft.Reconcile,
            Location = draft.Location,
            FieldLocations = locations,
            SecretReferences = secrets,
            Schema = schema,
        };
    }

    private static SourceLocation At(IReadOnlyDictionary<string, SourceLocation> locations, string pointer, SourceLocation fallback) =>
        locations.TryGetValue(pointer, out var location) ? location : fallback;

    private static void ReportCycles(List<DeclaredResource> resources, List<Diagnostic> diagnostics)
    {
        var byId = resources.ToDictionary(r => r.Id, ResourceIds.Comparer);
        var edges = resources.ToDictionary(r => r.Id, r => r.DependsOn.ToList(), ResourceIds.Comparer);
        for (var reported = 0; reported < MaxCyclesReported; reported++)
        {
            DependencyGraph.Waves(resources, r => r.Id, r => edges[r.Id], out var cycle);
            if (cycle is null)
            {
                return;
            }

            var start = byId[cycle[0]];
            var path = string.Join(" -> ", cycle.Select(id => DisplayName(byId[id])));
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.DependencyCycle, start.Location,
                $"Dependency cycle: {path}.",
                "Break the cycle: remove a dependsOn entry or a ref() along it (dependencies also come from scope, the resource group and the parent)."));

            // Cut one edge of this cycle and look again, so separate cycles are all reported.
            edges[cycle[0]].RemoveAll(d => ResourceIds.AreSame(d, cycle[1]));
        }
    }

    private static string DisplayName(DeclaredResource resource) =>
        resource.Scope is null ? ProviderPath.Format(resource.Type, resource.Name) : resource.Id;
}
