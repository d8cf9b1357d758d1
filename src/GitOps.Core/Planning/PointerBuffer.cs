using System.Globalization;

namespace GitOps.Core.Planning;

/// <summary>
/// The JSON pointer of the node being compared, kept in one growing buffer so that walking a body allocates no
/// strings: a pointer becomes a string only when a diff is recorded.
/// </summary>
internal sealed class PointerBuffer
{
    private char[] _chars = new char[256];
    private int _length;

    /// <summary>The current pointer.</summary>
    public ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

    /// <summary>Appends <c>/segment</c> (escaped) and returns the length to restore with <see cref="Pop"/>.</summary>
    public int Push(string segment)
    {
        var mark = _length;
        Append('/');
        foreach (var c in segment)
        {
            switch (c)
            {
                case '~':
                    Append('~');
                    Append('0');
                    break;
                case '/':
                    Append('~');
                    Append('1');
                    break;
                default:
                    Append(c);
                    break;
            }
        }

        return mark;
    }

    /// <summary>Appends <c>/index</c> and returns the length to restore with <see cref="Pop"/>.</summary>
    public int Push(int index)
    {
        var mark = _length;
        Append('/');
        Span<char> digits = stackalloc char[11];
        index.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
        foreach (var c in digits[..written])
        {
            Append(c);
        }

        return mark;
    }

    /// <summary>Goes back to a length returned by a push.</summary>
    public void Pop(int mark) => _length = mark;

    /// <inheritdoc />
    public override string ToString() => new(_chars, 0, _length);

    private void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Array.Resize(ref _chars, _chars.Length * 2);
        }

        _chars[_length++] = c;
    }
}
