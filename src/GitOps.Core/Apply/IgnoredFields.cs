using System.Text.Json.Nodes;
using GitOps.Core.Pointers;

namespace GitOps.Core.Apply;

/// <summary>
/// Makes <c>reconcile.ignore</c> hold for writes too, not only for diffs: before a PUT, the live value at each ignored
/// pointer replaces (or fills in) the declared one, so an update never resets a field git says to leave alone — such as
/// a virtual network's <c>/properties/subnets</c> when the subnets are managed as separate resources, which a PUT
/// without them would delete. (Argo CD users hit the opposite default: its ignoreDifferences only affects the diff.)
/// </summary>
public static class IgnoredFields
{
    /// <summary>
    /// Returns the body to PUT: <paramref name="desired"/> with the live values of the ignored pointers carried over.
    /// A pointer the live body lacks is removed from the request, so ARM keeps whatever it has.
    /// </summary>
    public static JsonObject Preserve(JsonObject desired, JsonObject? live, IReadOnlyList<string> ignore)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(ignore);
        var body = desired.DeepClone().AsObject();
        foreach (var pointer in ignore)
        {
            if (pointer.Length == 0)
            {
                continue;
            }

            if (live is not null && JsonPointer.Find(live, pointer) is { } liveValue)
            {
                JsonPointer.Set(body, pointer, liveValue.DeepClone());
            }
            else
            {
                JsonPointer.Remove(body, pointer);
            }
        }

        return body;
    }
}
