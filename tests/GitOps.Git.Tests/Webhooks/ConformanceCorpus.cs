using System.Text;
using System.Text.Json.Nodes;
using GitOps.Git.Webhooks;

namespace GitOps.Git.Tests.Webhooks;

/// <summary>The webhook corpus vendored in tests/GitOps.Testing/testdata/webhooks (real deliveries, sources noted per file).</summary>
public static class ConformanceCorpus
{
    private static readonly Lazy<string> Folder = new(Locate);

    public static string Directory => Folder.Value;

    public static TheoryData<string> Required() => Cases(optional: false);

    public static TheoryData<string> Optional() => Cases(optional: true);

    public static JsonObject Load(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, fileName)))!.AsObject();

    public static byte[] Body(JsonObject sample) => Encoding.UTF8.GetBytes(sample["body"]!.GetValue<string>());

    public static List<KeyValuePair<string, string>> Headers(JsonObject sample) =>
        sample["headers"]!.AsObject().Select(h => new KeyValuePair<string, string>(h.Key, h.Value!.GetValue<string>())).ToList();

    /// <summary>Receiver options holding exactly the secret the sample was configured with.</summary>
    public static WebhookReceiverOptions Options(JsonObject sample)
    {
        var options = new WebhookReceiverOptions();
        var secret = sample["secret"]!.GetValue<string>();
        switch (sample["service"]!.GetValue<string>())
        {
            case "github":
                options.GitHubSecrets.Add(secret);
                break;
            case "gitlab":
                if (secret.StartsWith("whsec_", StringComparison.Ordinal))
                {
                    options.GitLabSigningTokens.Add(secret);
                }
                else
                {
                    options.GitLabTokens.Add(secret);
                }

                break;
            case "gitea" or "forgejo":
                options.GiteaSecrets.Add(secret);
                break;
            case "bitbucket":
                options.BitbucketSecrets.Add(secret);
                break;
            case "azure-devops":
                var auth = sample["auth"]!.AsObject();
                var header = auth["customHeaders"]?.AsObject().FirstOrDefault();
                options.AzureDevOpsCredentials.Add(new AzureDevOpsWebhookCredential
                {
                    Username = auth["username"]?.GetValue<string>(),
                    Password = auth["password"]?.GetValue<string>(),
                    HeaderName = header?.Key,
                    HeaderValue = header?.Value?.GetValue<string>(),
                });
                break;
            default:
                throw new InvalidOperationException($"Unknown service in sample: {sample["service"]}");
        }

        return options;
    }

    private static TheoryData<string> Cases(bool optional)
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            var isOptional = Load(Path.GetFileName(file))["optional"]?.GetValue<bool>() == true;
            if (isOptional == optional)
            {
                data.Add(Path.GetFileName(file));
            }
        }

        return data;
    }

    private static string Locate() => GitOps.Testing.WebhookCorpus.Directory();
}
