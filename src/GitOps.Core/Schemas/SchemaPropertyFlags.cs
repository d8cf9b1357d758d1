namespace GitOps.Core.Schemas;

/// <summary>What the catalogue says about one property (the flags of the Bicep type model).</summary>
[Flags]
public enum SchemaPropertyFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Required in the PUT body.</summary>
    Required = 1,

    /// <summary>Set by ARM: absent from the PUT schema, or marked read-only. Declaring it has no effect.</summary>
    ReadOnly = 2,

    /// <summary>Sent but never returned by GET (a password): never diffed against Azure.</summary>
    WriteOnly = 4,

    /// <summary>Must be known when the deployment starts (Bicep's notion; informational here).</summary>
    DeployTimeConstant = 8,

    /// <summary>Part of the resource's identity (<c>name</c>).</summary>
    Identifier = 16,
}
