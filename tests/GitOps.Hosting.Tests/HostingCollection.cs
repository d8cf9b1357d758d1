using GitOps.Testing;

namespace GitOps.Hosting.Tests;

/// <summary>
/// One xunit collection per test class, so the classes run in parallel; all of them get the same Azurite and ARM
/// simulator (<see cref="SharedFixtureFramework"/> keeps one instance of each per assembly). That is safe because each
/// test uses its own container, queue and subscription. The exception is <see cref="ArmFaults"/>: its classes add
/// faults to the shared simulator that are not limited to their subscription, or clear all faults, so they run one
/// after the other.
/// </summary>
public static class HostingCollection
{
    /// <summary>The former single collection, kept so that a class added elsewhere with it still compiles and runs.</summary>
    public const string Name = "Hosting";

    /// <summary>Tests that change the shared simulator's fault rules.</summary>
    public const string ArmFaults = "Hosting.ArmFaults";

    /// <summary>Tests that measure the process's allocations: they run alone, after the parallel collections.</summary>
    public const string Allocations = "Hosting.Allocations";

    public const string Alerts = ArmFaults;
    public const string ApiAccess = "Hosting.ApiAccess";
    public const string CredentialDestination = "Hosting.CredentialDestination";
    public const string DriftScheduler = "Hosting.DriftScheduler";
    public const string Events = "Hosting.Events";
    public const string EventStorm = "Hosting.EventStorm";
    public const string HttpApi = "Hosting.HttpApi";
    public const string QueueListener = "Hosting.QueueListener";
    public const string ReconcileEndToEnd = ArmFaults;
    public const string SecretLeak = ArmFaults;
    public const string StatusPageBrowser = "Hosting.StatusPageBrowser";
    public const string SuspendResumeApi = "Hosting.SuspendResumeApi";
    public const string TrustEndToEnd = "Hosting.TrustEndToEnd";
    public const string Webhook = "Hosting.Webhook";
    public const string Previews = "Hosting.Previews";
}

/// <summary>The fixtures every hosting collection shares.</summary>
public abstract class HostingFixtures : ICollectionFixture<AzuriteFixture>, ICollectionFixture<ArmSimulatorFixture>;

// One definition per collection name (xunit 2 finds a collection's fixtures on its definition class).

[CollectionDefinition(HostingCollection.Name)] public sealed class HostingDefaultCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.ArmFaults)] public sealed class ArmFaultsCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.Allocations, DisableParallelization = true)] public sealed class AllocationsCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.ApiAccess)] public sealed class ApiAccessCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.CredentialDestination)] public sealed class CredentialDestinationCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.DriftScheduler)] public sealed class DriftFunctionCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.Events)] public sealed class EventsCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.EventStorm)] public sealed class EventStormCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.HttpApi)] public sealed class HttpApiCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.QueueListener)] public sealed class QueueListenerCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.StatusPageBrowser)] public sealed class StatusPageBrowserCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.SuspendResumeApi)] public sealed class SuspendResumeApiCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.TrustEndToEnd)] public sealed class TrustEndToEndCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.Webhook)] public sealed class WebhookCollection : HostingFixtures;
[CollectionDefinition(HostingCollection.Previews)] public sealed class PreviewsCollection : HostingFixtures;
