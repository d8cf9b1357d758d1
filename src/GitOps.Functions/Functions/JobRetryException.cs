namespace GitOps.Functions.Functions;

/// <summary>
/// Fails a queue invocation on purpose, so the host retries the message after its visibility timeout and moves it
/// to the poison queue past <c>maxDequeueCount</c>. Its message names ids and outcomes, never a secret.
/// </summary>
/// <param name="message">What happened and what the host will do.</param>
public sealed class JobRetryException(string message) : Exception(message);
