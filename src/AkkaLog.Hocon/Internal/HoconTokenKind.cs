namespace AkkaLog.Hocon.Internal;

/// <summary>Lexical token types. Comments produce no token; the newline ending them does.</summary>
internal enum HoconTokenKind
{
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
    Comma,

    /// <summary><c>=</c> or <c>:</c>.</summary>
    Separator,
    PlusEquals,
    Newline,

    /// <summary>Spaces and tabs; significant inside value concatenations.</summary>
    Whitespace,
    Unquoted,

    /// <summary>A quoted or triple-quoted string; <see cref="HoconToken.Text"/> is unescaped.</summary>
    Quoted,
    Substitution,

    /// <summary>A lexical error; the parser reports it with the key it was parsing.</summary>
    Error,
    End,
}
