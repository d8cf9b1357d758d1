namespace GitOps.Core.Alerts;

/// <summary>
/// How one alert fared at one sink, kept on the run record so a sink that fails is visible where the run is.
/// </summary>
/// <param name="Sink">The sink's configured name.</param>
/// <param name="Kind">The alert's kind.</param>
/// <param name="Delivered">True when the sink accepted it.</param>
/// <param name="Attempts">How many requests were made.</param>
/// <param name="Error">Why it was not delivered (status code or transport error; never the sink's URL).</param>
public sealed record AlertDelivery(string Sink, AlertKind Kind, bool Delivered, int Attempts, string? Error);
