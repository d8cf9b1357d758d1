using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace GitOps.Hosting.Standalone;

/// <summary>
/// Builds the configuration of a standalone run the way the Functions host would see it: the <c>Values</c> of a
/// <c>local.settings.json</c> file (the same file <c>func start</c> reads), overridden by environment variables.
/// </summary>
public static class SettingsSources
{
    /// <summary>Builds the configuration.</summary>
    /// <param name="settingsFile">A <c>local.settings.json</c>, or null.</param>
    /// <param name="overrides">Extra values that win over everything (command-line options).</param>
    /// <exception cref="InvalidOperationException">The file is unreadable; the message names it.</exception>
    public static IConfiguration Build(string? settingsFile, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (settingsFile is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(settingsFile));
                if (document.RootElement.TryGetProperty("Values", out var entries) && entries.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in entries.EnumerateObject())
                    {
                        values[entry.Name.Replace("__", ":", StringComparison.Ordinal)] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : entry.Value.ToString();
                    }
                }
            }
            catch (Exception error) when (error is IOException or JsonException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"Settings file '{settingsFile}' could not be read: {error.Message}", error);
            }
        }

        var builder = new ConfigurationBuilder().AddInMemoryCollection(values).AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides.ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => p.Value));
        }

        return builder.Build();
    }

    /// <summary>Reads a raw setting by its Functions name (<c>A__B</c>) from a configuration (<c>A:B</c>).</summary>
    public static Func<string, string?> Reader(IConfiguration configuration) =>
        name => configuration[name.Replace("__", ":", StringComparison.Ordinal)];
}
