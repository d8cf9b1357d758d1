namespace GitOps.Core.Policy;

/// <summary>How an <c>assert</c> rule judges the value at its JSON pointer.</summary>
public enum AssertionOperator
{
    /// <summary><c>equals: v</c>: the value is set and equals v.</summary>
    EqualTo,

    /// <summary><c>oneOf: [a, b]</c>: the value is set and equals one of them.</summary>
    OneOf,

    /// <summary><c>not: v</c>: the value is not v (an unset value passes).</summary>
    Not,

    /// <summary><c>exists: true</c>: the field is declared (any value, null included).</summary>
    Exists,

    /// <summary><c>absent: true</c>: the field is not declared.</summary>
    Absent,
}
