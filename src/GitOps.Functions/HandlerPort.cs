using System.Globalization;

namespace GitOps.Functions;

/// <summary>
/// Finds the port the Functions host told the handler to listen on: <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, or the legacy
/// <c>FUNCTIONS_HTTPWORKER_PORT</c>; a <c>--port</c> argument wins (local runs and tests without the host).
/// </summary>
public static class HandlerPort
{
    /// <summary>The variable the host sets.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The variable older hosts set.</summary>
    public const string LegacyPortVariable = "FUNCTIONS_HTTPWORKER_PORT";

    /// <summary>Resolves the port.</summary>
    /// <param name="arguments">Command-line arguments.</param>
    /// <param name="getEnvironmentVariable">Reads environment variables.</param>
    /// <exception cref="InvalidOperationException">No port, or not a port number; the message says how to give one.</exception>
    public static int Resolve(IReadOnlyList<string> arguments, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var index = arguments.ToList().FindIndex(a => a is "--port" or "-p");
        if (index >= 0)
        {
            return index + 1 < arguments.Count
                ? Parse(arguments[index + 1], "--port")
                : throw new InvalidOperationException("--port needs a value, e.g. --port 7072.");
        }

        foreach (var name in new[] { PortVariable, LegacyPortVariable })
        {
            if (getEnvironmentVariable(name) is { Length: > 0 } value)
            {
                return Parse(value, name);
            }
        }

        throw new InvalidOperationException(
            $"{PortVariable} is not set. The Azure Functions host sets it when it starts the custom handler (func start, or the app in Azure); " +
            "to run the handler on its own, pass --port <port>.");
    }

    private static int Parse(string value, string source) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"{source} is '{value}'; expected a port number from 1 to 65535.");
}
