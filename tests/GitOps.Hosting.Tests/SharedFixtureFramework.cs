using System.Collections.Concurrent;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("GitOps.Hosting.Tests.SharedFixtureFramework", "GitOps.Hosting.Tests")]

namespace GitOps.Hosting.Tests;

/// <summary>
/// xunit 2 with one instance per assembly of each collection fixture, so that every test class can have its own
/// collection (and the classes run in parallel) while they all use one Azurite and one ARM simulator. xunit 2 alone
/// creates a fixture per collection; xunit 3's assembly fixtures would replace this class. Sharing is safe because
/// every test owns its data in them (its own container, queue and subscription, see <see cref="TestWorld"/>).
/// </summary>
public sealed class SharedFixtureFramework : XunitTestFramework
{
    /// <summary>Creates the framework; xunit calls it once per test assembly.</summary>
    public SharedFixtureFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        // A dozen classes at once, each with servers and clients in this process: without a floor the thread pool
        // adds threads slowly, and a starved pool stalls local HTTP answers past the tests' time limits.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }

    /// <inheritdoc />
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        private readonly SharedFixtures _fixtures = new();

        protected override Task<RunSummary> RunTestCollectionAsync(IMessageBus messageBus, ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases, CancellationTokenSource cancellationTokenSource) =>
            new CollectionRunner(_fixtures, testCollection, testCases, DiagnosticMessageSink, messageBus, TestCaseOrderer, new ExceptionAggregator(Aggregator), cancellationTokenSource).RunAsync();

        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await _fixtures.DisposeAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }

    private sealed class CollectionRunner(SharedFixtures fixtures, ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink, IMessageBus messageBus, ITestCaseOrderer testCaseOrderer, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
        : XunitTestCollectionRunner(testCollection, testCases, diagnosticMessageSink, messageBus, testCaseOrderer, aggregator, cancellationTokenSource)
    {
        // The base creates, initializes and disposes one instance per collection; here the instances come from the
        // assembly's cache, are initialized once and disposed when the assembly finishes.
        protected override async Task AfterTestCollectionStartingAsync()
        {
            var definition = TestCollection.CollectionDefinition?.ToRuntimeType();
            if (definition is not null)
            {
                foreach (var fixtureType in definition.GetInterfaces()
                    .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionFixture<>))
                    .Select(i => i.GenericTypeArguments[0]))
                {
                    try
                    {
                        CollectionFixtureMappings[fixtureType] = await fixtures.GetAsync(fixtureType);
                    }
                    catch (Exception e)
                    {
                        // As the base does: every test of the collection then fails with this reason.
                        Aggregator.Add(e);
                    }
                }
            }
        }

        protected override Task BeforeTestCollectionFinishedAsync() => Task.CompletedTask;
    }

    private sealed class SharedFixtures : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<Type, Lazy<Task<object>>> _instances = new();

        public Task<object> GetAsync(Type type) =>
            _instances.GetOrAdd(type, t => new Lazy<Task<object>>(() => CreateAsync(t))).Value;

        private static async Task<object> CreateAsync(Type type)
        {
            var fixture = Activator.CreateInstance(type)!;
            if (fixture is IAsyncLifetime lifetime)
            {
                await lifetime.InitializeAsync();
            }

            return fixture;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var instance in _instances.Values.Where(l => l.IsValueCreated))
            {
                object fixture;
                try
                {
                    fixture = await instance.Value;
                }
                catch (Exception)
                {
                    continue; // it failed to start; the tests that needed it have already failed with the reason
                }

                if (fixture is IAsyncLifetime lifetime)
                {
                    await lifetime.DisposeAsync();
                }

                (fixture as IDisposable)?.Dispose();
            }
        }
    }
}
