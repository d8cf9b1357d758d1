using System.Text.Json.Nodes;

namespace GitOps.Core.Planning;

/// <summary>
/// One field that differs between git and Azure.
/// </summary>
/// <remarks>
/// <para><see cref="Path"/> is an RFC 6901 JSON pointer into the ARM body (<c>~0</c> for <c>~</c>, <c>~1</c> for
/// <c>/</c> inside a segment). Conventions:</para>
/// <list type="bullet">
/// <item>Inside an array matched by <c>name</c>, indexes are the declared ones: a difference inside the third
/// declared security rule is <c>/properties/securityRules/2/properties/priority</c>, wherever Azure lists it.</item>
/// <item>A declared named element missing in Azure: the element's pointer (<c>/properties/securityRules/2</c>),
/// <see cref="Desired"/> = the element, <see cref="Live"/> = null.</item>
/// <item>A named element in Azure that git does not declare (the PUT would remove it): the array pointer plus
/// <c>/-</c> (<c>/properties/securityRules/-</c>), <see cref="Desired"/> = null, <see cref="Live"/> = the element;
/// one diff per such element.</item>
/// <item>Other arrays of different lengths: one diff at the array's pointer with both arrays.</item>
/// <item>A tag Azure has and git does not declare: <c>/tags/&lt;key&gt;</c> with <see cref="Desired"/> = null.</item>
/// <item>A declared field Azure does not return, listed because the declaration changed since the last apply:
/// <see cref="Live"/> = null.</item>
/// </list>
/// <para>Secrets (<see cref="SecretProperties"/>) never appear: their values, also inside objects, are replaced by
/// <see cref="SecretProperties.RedactedMarker"/> and <see cref="Redacted"/> is true. The nodes are copies, free to be
/// added to another JSON document.</para>
/// </remarks>
/// <param name="Path">JSON pointer into the ARM body, e.g. <c>/properties/minimumTlsVersion</c>.</param>
/// <param name="Desired">The declared value; null when git does not declare it (e.g. an extra tag in Azure).</param>
/// <param name="Live">The value in Azure; null when Azure does not have it.</param>
/// <param name="Redacted">True when the value is a secret and <paramref name="Desired"/> / <paramref name="Live"/> were replaced by a marker.</param>
public sealed record FieldDiff(string Path, JsonNode? Desired, JsonNode? Live, bool Redacted = false);
