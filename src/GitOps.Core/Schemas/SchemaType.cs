namespace GitOps.Core.Schemas;

/// <summary>
/// One type of the resource type catalogue, as Core sees it: a narrow copy of the Bicep type model (objects,
/// discriminated objects, unions, string literals, strings, integers, booleans, arrays, any, null) so Core checks
/// bodies without referencing the package that supplies it.
/// </summary>
/// <remarks>Instances are immutable once built and shared between threads.</remarks>
public abstract class SchemaType
{
    private protected SchemaType()
    {
    }

    /// <summary>How the type reads in a message: <c>string</c>, <c>'TLS1_2' | 'TLS1_3'</c>, <c>StorageAccountProperties</c>.</summary>
    public abstract string Display { get; }
}
