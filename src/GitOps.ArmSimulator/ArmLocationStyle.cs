namespace GitOps.ArmSimulator;

/// <summary>How a resource type echoes the <c>location</c> it was given (docs/arm-protocol.md §7.2).</summary>
public enum ArmLocationStyle
{
    /// <summary>Returned exactly as sent (resource groups).</summary>
    Preserve,

    /// <summary>Returned as the lower-case name without spaces (<c>West Europe</c> becomes <c>westeurope</c>); most resource providers.</summary>
    Lowercase,

    /// <summary>Returned as the display name (<c>westeurope</c> becomes <c>West Europe</c>); Microsoft.Web and Microsoft.Insights.</summary>
    DisplayName,
}
