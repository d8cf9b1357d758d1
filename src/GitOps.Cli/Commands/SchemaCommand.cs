using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Ports;
using GitOps.Core.Schemas;
using GitOps.Schemas;

namespace GitOps.Cli.Commands;

/// <summary>
/// <c>gitops schema TYPE@API-VERSION</c>: prints a JSON Schema (draft-07) for resource documents of that type, our
/// fields plus the ARM body typed from the resource type catalogue, for yaml-language-server.
/// </summary>
internal static class SchemaCommand
{
    /// <summary>The general resource document schema, embedded from <c>schemas/resource.schema.json</c>.</summary>
    private const string ResourceSchemaName = "GitOps.Cli.resource.schema.json";

    public static Command Create(CliConsole console, IResourceTypeCatalog? types = null)
    {
        var typeArgument = new Argument<string>("type")
        {
            Description = "The resource type and api-version, e.g. Microsoft.Storage/storageAccounts@2023-05-01.",
        };
        var command = new Command("schema", "Print a JSON Schema for resource documents of TYPE@API-VERSION: our fields and the ARM body typed from the resource type catalogue, so an editor (yaml-language-server) checks properties as you type. Save it next to your manifests and point a modeline at it.")
        {
            typeArgument,
        };
        command.SetAction(parse =>
        {
            var text = parse.GetRequiredValue(typeArgument);
            var at = text.LastIndexOf('@');
            if (at <= 0 || at == text.Length - 1 || !text[..at].Contains('/', StringComparison.Ordinal))
            {
                console.Error.WriteLine($"error: '{text}' is not TYPE@API-VERSION. Write it as in a manifest's type field, e.g. gitops schema Microsoft.Storage/storageAccounts@2023-05-01.");
                return ExitCodes.Error;
            }

            var name = (Type: text[..at], ApiVersion: text[(at + 1)..]);

            var catalogue = types ?? BicepTypeCatalog.Shared;
            var schema = catalogue.Find(name.Type, name.ApiVersion);
            if (schema is null)
            {
                var versions = catalogue.ApiVersions(name.Type);
                console.Error.WriteLine(versions.Count == 0
                    ? $"error: the resource type catalogue ({catalogue.Source}) has no type {name.Type}. Check the namespace and type against the REST API reference."
                    : $"error: {name.Type} has no api-version {name.ApiVersion} in the resource type catalogue ({catalogue.Source}); closest known versions, newest stable first: {string.Join(", ", ApiVersionOrder.Closest(versions, name.ApiVersion))}.");
                return ExitCodes.Error;
            }

            var written = JsonSchemaWriter.Write(schema, ReadResourceSchema());
            console.Out.WriteLine(written.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonObject ReadResourceSchema()
    {
        using var stream = typeof(SchemaCommand).Assembly.GetManifestResourceStream(ResourceSchemaName)
            ?? throw new InvalidOperationException($"The embedded {ResourceSchemaName} is missing from the build.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
