using System.CommandLine;
using GitOps.Storage;
using GitOps.Storage.Reconcile;

namespace GitOps.Cli.Commands;

/// <summary>The storage account the reconciler uses, for commands that read its runs or enqueue jobs.</summary>
internal sealed class StorageOptions
{
    public Option<string> Connection { get; } = new("--storage")
    {
        Description = "Storage connection string of the reconciler (default: the local emulator, UseDevelopmentStorage=true).",
        HelpName = "CONNECTION-STRING",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? "UseDevelopmentStorage=true",
    };

    public Option<string> Container { get; } = new("--container")
    {
        Description = "Blob container of the reconciler's state and runs.",
        HelpName = "NAME",
        DefaultValueFactory = _ => "gitops",
    };

    public Option<string> Queue { get; } = new("--queue")
    {
        Description = "The reconcile queue.",
        HelpName = "NAME",
        DefaultValueFactory = _ => "reconcile",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Connection);
        command.Options.Add(Container);
        command.Options.Add(Queue);
    }

    /// <summary>Opens the reconciler's storage, or prints why not and returns null.</summary>
    public async Task<GitOpsStorage?> OpenAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        StorageConnection connection;
        try
        {
            connection = StorageConnection.Parse(parse.GetRequiredValue(Connection));
        }
        catch (FormatException error)
        {
            console.Error.WriteLine($"error: --storage: {error.Message}");
            return null;
        }

        try
        {
            return await GitOpsStorage.CreateAsync(
                connection,
                new GitOpsStorageOptions { ContainerName = parse.GetRequiredValue(Container), QueueName = parse.GetRequiredValue(Queue) },
                cancellationToken);
        }
        catch (ArgumentException error)
        {
            // A name or an endpoint the stores cannot use (e.g. explicit endpoints without TableEndpoint).
            console.Error.WriteLine($"error: --storage: {error.Message.Split(" (Parameter", 2)[0]}");
            return null;
        }
        catch (Exception error) when (error is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            console.Error.WriteLine($"error: cannot reach storage at {connection}: {error.Message}");
            return null;
        }
    }
}
