using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GitOps.ArmSimulator;

namespace GitOps.ArmSimulator.Tests;

/// <summary>Raw ARM calls over a real HttpClient, so tests see exact status codes and headers.</summary>
internal static class ArmHttp
{
    public const string StorageApi = "2023-05-01";

    public static HttpClient CreateClient(ArmSimulatorServer server)
    {
        var client = new HttpClient(server.CreateHttpMessageHandler()) { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
        return client;
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? json = null,
        string? apiVersion = StorageApi)
    {
        var uri = apiVersion is null ? path : $"{path}{(path.Contains('?') ? '&' : '?')}api-version={apiVersion}";
        var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutAsync(this HttpClient client, string path, string json, string apiVersion = StorageApi) =>
        client.SendAsync(HttpMethod.Put, path, json, apiVersion);

    public static Task<HttpResponseMessage> GetAsync(this HttpClient client, string path, string apiVersion) =>
        client.SendAsync(HttpMethod.Get, path, null, apiVersion);

    public static Task<HttpResponseMessage> DeleteAsync(this HttpClient client, string path, string apiVersion) =>
        client.SendAsync(HttpMethod.Delete, path, null, apiVersion);

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<string> ErrorCodeAsync(this HttpResponseMessage response) =>
        (await response.JsonAsync())["error"]!["code"]!.GetValue<string>();

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single()
        : response.Content.Headers.TryGetValues(name, out var content) ? content.Single()
        : throw new Xunit.Sdk.XunitException($"Response has no '{name}' header.");

    public static bool HasHeader(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out _) || response.Content.Headers.TryGetValues(name, out _);

    /// <summary>Creates a resource group and returns its id.</summary>
    public static async Task<string> CreateGroupAsync(this HttpClient client, string subscription, string name, string location = "westeurope")
    {
        var id = $"/subscriptions/{subscription}/resourceGroups/{name}";
        using var response = await client.PutAsync(id, $$"""{"location":"{{location}}"}""", "2022-09-01");
        Assert.True(response.IsSuccessStatusCode, $"creating {id} answered {(int)response.StatusCode}");
        return id;
    }

    public static string NewName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];
}
