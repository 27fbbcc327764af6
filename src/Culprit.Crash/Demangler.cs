using System.Text;

namespace Culprit.Crash;

/// <summary>
/// Readable names for C++ (Itanium ABI) and Rust (legacy and v0) symbols in stack frames, without
/// parameter types, hashes or crate disambiguators: <c>_Z8fakeNameiii</c> → <c>fakeName</c>,
/// <c>_RNvMs3_NtCs1a_11rust_binder7processNtB5_7Process10update_ref</c> →
/// <c>&lt;rust_binder::process::Process&gt;::update_ref</c>. Kernel functions are plain C names and
/// pass through unchanged, as does anything that does not parse (the frame is then still usable).
/// </summary>
internal static class Demangler
{
    // Bounds the recursion on hostile input; real names nest a few levels.
    private const int MaxDepth = 64;

    public static string Demangle(string symbol)
    {
        if (symbol.Length < 3 || symbol[0] != '_')
            return symbol;
        try
        {
            if (symbol.StartsWith("_R", StringComparison.Ordinal))
                return new RustV0(symbol).Demangle() ?? symbol;
            if (symbol.StartsWith("_ZN", StringComparison.Ordinal) && RustLegacy(symbol) is { } rust)
                return rust;
            if (symbol.StartsWith("_Z", StringComparison.Ordinal))
                return new Itanium(symbol).Demangle() ?? symbol;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            // Not a name this demangler knows: keep the frame as printed.
        }
        return symbol;
    }

    /// <summary>
    /// Rust's legacy scheme is an Itanium nested name whose last part is a 16-digit hash
    /// ("h0123456789abcdef"), with punctuation escaped as $LT$, $GT$, $u20$ and "..".
    /// </summary>
    private static string? RustLegacy(string symbol)
    {
        var parts = new List<string>();
        int i = 3;
        while (i < symbol.Length && symbol[i] != 'E')
        {
            int len = 0, start = i;
            while (i < symbol.Length && char.IsAsciiDigit(symbol[i]) && len < 100_000)
                len = len * 10 + (symbol[i++] - '0');
            if (i == start || len == 0 || i + len > symbol.Length)
                return null;
            parts.Add(symbol.Substring(i, len));
            i += len;
        }
        if (i >= symbol.Length || parts.Count < 2 || !IsRustHash(parts[^1]))
            return null;
        return string.Join("::", parts.Take(parts.Count - 1).Select(UnescapeLegacy));
    }

    private static bool IsRustHash(string part) =>
        part.Length == 17 && part[0] == 'h' && part.AsSpan(1).IndexOfAnyExcept("0123456789abcdef") < 0;

    private static string UnescapeLegacy(string part)
    {
        var sb = new StringBuilder();
        int i = part.StartsWith("_$", StringComparison.Ordinal) ? 1 : 0;
        while (i < part.Length)
        {
            if (part[i] == '.' && i + 1 < part.Length && part[i + 1] == '.')
            {
                sb.Append("::");
                i += 2;
                continue;
            }
            if (part[i] == '$' && part.IndexOf('$', i + 1) is var close && close > i)
            {
                string code = part[(i + 1)..close];
                string? text = code switch
                {
                    "SP" => "@", "BP" => "*", "RF" => "&", "LT" => "<", "GT" => ">", "LP" => "(", "RP" => ")", "C" => ",",
                    _ when code.Length > 1 && code[0] == 'u' && int.TryParse(code.AsSpan(1), System.Globalization.NumberStyles.HexNumber, null, out int cp) && cp < 0x110000
                        => char.ConvertFromUtf32(cp),
                    _ => null,
                };
                if (text != null)
                {
                    sb.Append(text);
                    i = close + 1;
                    continue;
                }
            }
            sb.Append(part[i++]);
        }
        return sb.ToString();
    }

    /// <summary>Rust v0 mangling (RFC 2603), printed the way rustc-demangle's short form does.</summary>
    private sealed class RustV0(string symbol)
    {
        private int _pos = 2; // after "_R"
        private int _depth;

        public string? Demangle()
        {
            // An optional encoding version, then the path; the instantiating crate that may
            // follow does not belong in the name.
            while (_pos < symbol.Length && char.IsAsciiDigit(symbol[_pos]))
                _pos++;
            var sb = new StringBuilder();
            Path(sb, inValue: true);
            return sb.ToString();
        }

        private char Next() => _pos < symbol.Length ? symbol[_pos++] : throw new FormatException();

        private char Peek() => _pos < symbol.Length ? symbol[_pos] : '\0';

        private bool Eat(char c)
        {
            if (Peek() != c)
                return false;
            _pos++;
            return true;
        }

        private void Enter()
        {
            if (++_depth > MaxDepth)
                throw new FormatException();
        }

        private void Path(StringBuilder sb, bool inValue)
        {
            Enter();
            char tag = Next();
            switch (tag)
            {
                case 'C':
                    Disambiguator();
                    sb.Append(Identifier());
                    break;
                case 'M':
                    Disambiguator();
                    Path(new StringBuilder(), inValue: false); // the impl's own path is not shown
                    sb.Append('<');
                    Type(sb);
                    sb.Append('>');
                    break;
                case 'X':
                    Disambiguator();
                    Path(new StringBuilder(), inValue: false); // the impl's own path is not shown
                    sb.Append('<');
                    Type(sb);
                    sb.Append(" as ");
                    Path(sb, inValue: false);
                    sb.Append('>');
                    break;
                case 'Y':
                    sb.Append('<');
                    Type(sb);
                    sb.Append(" as ");
                    Path(sb, inValue: false);
                    sb.Append('>');
                    break;
                case 'N':
                {
                    char ns = Next();
                    if (!char.IsAsciiLetter(ns))
                        throw new FormatException();
                    Path(sb, inValue);
                    long disambiguator = Disambiguator();
                    string name = Identifier();
                    if (char.IsAsciiLetterUpper(ns))
                    {
                        // Special namespaces: closures, shims.
                        sb.Append("::{").Append(ns == 'C' ? "closure" : ns == 'S' ? "shim" : ns.ToString());
                        if (name.Length > 0)
                            sb.Append(':').Append(name);
                        sb.Append('#').Append(disambiguator).Append('}');
                    }
                    else if (name.Length > 0)
                    {
                        sb.Append("::").Append(name);
                    }
                    break;
                }
                case 'I':
                    Path(sb, inValue);
                    if (inValue)
                        sb.Append("::");
                    ListUntilEnd(sb, '<', '>', () => GenericArg(sb));
                    break;
                case 'B':
                    BackRef(() => Path(sb, inValue));
                    break;
                default:
                    throw new FormatException();
            }
            _depth--;
        }

        private void GenericArg(StringBuilder sb)
        {
            if (Eat('L'))
            {
                Base62();
                sb.Append("'_");
            }
            else if (Eat('K'))
            {
                Const(sb);
            }
            else
            {
                Type(sb);
            }
        }

        private void Const(StringBuilder sb)
        {
            if (Eat('B'))
            {
                BackRef(() => Const(sb));
                return;
            }
            if (Eat('p'))
            {
                sb.Append('_');
                return;
            }
            char type = Next();
            bool negative = Eat('n');
            int start = _pos;
            while (Peek() != '_')
                Next();
            string hex = symbol[start.._pos];
            _pos++;
            if (type == 'b')
                sb.Append(hex == "1" ? "true" : "false");
            else if (hex.Length <= 15 && long.TryParse(hex.Length == 0 ? "0" : hex, System.Globalization.NumberStyles.HexNumber, null, out long v))
                sb.Append(negative ? "-" : "").Append(v);
            else
                sb.Append("0x").Append(hex);
        }

        private static readonly Dictionary<char, string> BasicTypes = new()
        {
            ['a'] = "i8", ['b'] = "bool", ['c'] = "char", ['d'] = "f64", ['e'] = "str", ['f'] = "f32", ['h'] = "u8",
            ['i'] = "isize", ['j'] = "usize", ['l'] = "i32", ['m'] = "u32", ['n'] = "i128", ['o'] = "u128", ['s'] = "i16",
            ['t'] = "u16", ['u'] = "()", ['v'] = "...", ['x'] = "i64", ['y'] = "u64", ['z'] = "!", ['p'] = "_",
        };

        private void Type(StringBuilder sb)
        {
            Enter();
            char tag = Peek();
            if (BasicTypes.TryGetValue(tag, out var basic))
            {
                _pos++;
                sb.Append(basic);
            }
            else
            {
                switch (tag)
                {
                    case 'A':
                    case 'S':
                        _pos++;
                        sb.Append('[');
                        Type(sb);
                        if (tag == 'A')
                        {
                            sb.Append("; ");
                            Const(sb);
                        }
                        sb.Append(']');
                        break;
                    case 'R':
                    case 'Q':
                        _pos++;
                        sb.Append(tag == 'R' ? "&" : "&mut ");
                        if (Eat('L'))
                            Base62();
                        Type(sb);
                        break;
                    case 'P':
                    case 'O':
                        _pos++;
                        sb.Append(tag == 'P' ? "*const " : "*mut ");
                        Type(sb);
                        break;
                    case 'T':
                        _pos++;
                        ListUntilEnd(sb, '(', ')', () => Type(sb));
                        break;
                    case 'B':
                        _pos++;
                        BackRef(() => Type(sb));
                        break;
                    case 'C' or 'M' or 'X' or 'Y' or 'N' or 'I':
                        Path(sb, inValue: false);
                        break;
                    default:
                        // Function pointers and trait objects: rare in kernel frames.
                        throw new FormatException();
                }
            }
            _depth--;
        }

        /// <summary>Items up to the closing 'E', comma-separated between <paramref name="open"/> and <paramref name="close"/>.</summary>
        private void ListUntilEnd(StringBuilder sb, char open, char close, Action item)
        {
            sb.Append(open);
            for (int n = 0; !Eat('E'); n++)
            {
                if (n > 0)
                {
                    sb.Append(", ");
                }
                item();
            }
            sb.Append(close);
        }

        private void BackRef(Action parse)
        {
            int at = _pos - 1; // the 'B'
            long target = Base62() + 2; // offsets count from after "_R"
            if (target < 0 || target >= at)
                throw new FormatException(); // only strictly backwards, so parsing ends
            int saved = _pos;
            _pos = (int)target;
            parse();
            _pos = saved;
        }

        private long Disambiguator() => Eat('s') ? Base62() + 1 : 0;

        // "_" is 0; otherwise digits 0-9a-zA-Z then "_" encode the value + 1.
        private long Base62()
        {
            if (Eat('_'))
                return 0;
            long value = 0;
            while (true)
            {
                char c = Next();
                if (c == '_')
                    return value + 1;
                int digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetterLower(c) ? c - 'a' + 10 : char.IsAsciiLetterUpper(c) ? c - 'A' + 36 : throw new FormatException();
                value = unchecked(value * 62 + digit); // crate hashes use all 64 bits
            }
        }

        private string Identifier()
        {
            bool punycode = Eat('u');
            int start = _pos;
            long len = 0;
            while (char.IsAsciiDigit(Peek()))
            {
                len = len * 10 + (Next() - '0');
                if (len > symbol.Length)
                    throw new FormatException();
            }
            if (_pos == start)
                throw new FormatException();
            Eat('_'); // separates the length from a name starting with a digit or "_"
            if (_pos + len > symbol.Length)
                throw new FormatException();
            string name = symbol.Substring(_pos, (int)len);
            _pos += (int)len;
            // Punycode names are left encoded: readable enough, and kernel Rust has none.
            return punycode ? name.Replace('_', '-') : name;
        }
    }

    /// <summary>The name part of an Itanium C++ symbol (its parameter types are not printed).</summary>
    private sealed class Itanium(string symbol)
    {
        private int _pos = 2; // after "_Z"
        private int _depth;
        private readonly List<string> _subs = [];
        private List<string> _templateArgs = [];

        public string? Demangle()
        {
            string name = Name(isFunction: true);
            return name.Length == 0 ? null : name;
        }

        private char Peek(int ahead = 0) => _pos + ahead < symbol.Length ? symbol[_pos + ahead] : '\0';

        private char Next() => _pos < symbol.Length ? symbol[_pos++] : throw new FormatException();

        private bool Eat(string s)
        {
            if (string.CompareOrdinal(symbol, _pos, s, 0, s.Length) != 0)
                return false;
            _pos += s.Length;
            return true;
        }

        private void Enter()
        {
            if (++_depth > MaxDepth)
                throw new FormatException();
        }

        private string Name(bool isFunction)
        {
            Enter();
            string result;
            if (Peek() == 'N')
            {
                result = NestedName(isFunction);
            }
            else if (Peek() == 'Z')
            {
                result = LocalName();
            }
            else
            {
                bool std = Eat("St");
                string unqualified = std ? "std::" + UnqualifiedName("std") : Peek() == 'S' ? Substitution() : UnqualifiedName("");
                result = unqualified;
                if (Peek() == 'I')
                {
                    _subs.Add(result); // an unscoped template name is a candidate
                    result += TemplateArgs();
                }
            }
            _depth--;
            return result;
        }

        private string NestedName(bool isFunction)
        {
            _pos++; // 'N'
            while (Peek() is 'r' or 'V' or 'K' or 'R' or 'O')
                _pos++; // cv- and ref-qualifiers of member functions
            string prefix = "";
            string last = "";
            while (!Eat("E"))
            {
                if (_pos >= symbol.Length)
                    throw new FormatException();
                string part;
                if (Peek() == 'S' && Peek(1) != 't')
                {
                    part = Substitution();
                    prefix = part;
                    last = LastComponent(part);
                    continue;
                }
                if (Peek() == 'I')
                {
                    prefix += TemplateArgs();
                    if (Peek() != 'E' || !isFunction)
                        _subs.Add(prefix);
                    continue;
                }
                if (Peek() == 'T')
                {
                    part = TemplateParam();
                }
                else if (Eat("St"))
                {
                    // "std::" is an abbreviation, not a substitution candidate.
                    prefix = last = "std";
                    continue;
                }
                else
                {
                    part = UnqualifiedName(last);
                }
                prefix = prefix.Length == 0 ? part : prefix + "::" + part;
                last = part;
                if (Peek() != 'E' || !isFunction)
                    _subs.Add(prefix);
            }
            return prefix;
        }

        private string LocalName()
        {
            _pos++; // 'Z'
            string outer = Name(isFunction: true);
            SkipToEnd(); // the function's parameter types
            string inner = Eat("s") ? "string literal" : Name(isFunction: true);
            // Discriminator: "_" digit or "__" number "_".
            if (Eat("__"))
            {
                while (char.IsAsciiDigit(Peek()))
                    _pos++;
                Eat("_");
            }
            else if (Peek() == '_' && char.IsAsciiDigit(Peek(1)))
            {
                _pos += 2;
            }
            return outer + "::" + inner;
        }

        // Skips a local name's encoding up to its matching 'E' (types are not printed).
        private void SkipToEnd()
        {
            int depth = 0;
            while (true)
            {
                char c = Next();
                if (char.IsAsciiDigit(c))
                {
                    int len = c - '0';
                    while (char.IsAsciiDigit(Peek()))
                        len = checked(len * 10 + (Next() - '0'));
                    if (_pos + len > symbol.Length)
                        throw new FormatException();
                    _pos += len;
                }
                else if (c is 'N' or 'I' or 'F' or 'Z' or 'X' or 'L')
                {
                    depth++;
                }
                else if (c == 'E')
                {
                    if (depth-- == 0)
                        return;
                }
            }
        }

        private string UnqualifiedName(string enclosing)
        {
            char c = Peek();
            if (char.IsAsciiDigit(c))
                return SourceName();
            if (c == 'C' && Peek(1) is '1' or '2' or '3' or '4' or '5' or 'I')
            {
                _pos += 2;
                return LastComponent(enclosing);
            }
            if (c == 'D' && Peek(1) is '0' or '1' or '2' or '4' or '5')
            {
                _pos += 2;
                return "~" + LastComponent(enclosing);
            }
            if (c == 'U' && Peek(1) == 't')
            {
                // Unnamed type: "Ut" [number] "_".
                _pos += 2;
                while (char.IsAsciiDigit(Peek()))
                    _pos++;
                Eat("_");
                return "{unnamed type}";
            }
            if (c == 'L')
            {
                _pos++; // internal linkage
                return SourceName();
            }
            string op = OperatorName();
            while (Eat("B"))
                SourceName(); // ABI tags
            return op;
        }

        private string SourceName()
        {
            int len = 0;
            while (char.IsAsciiDigit(Peek()))
                len = checked(len * 10 + (Next() - '0'));
            if (len == 0 || _pos + len > symbol.Length)
                throw new FormatException();
            string name = symbol.Substring(_pos, len);
            _pos += len;
            return name.StartsWith("_GLOBAL__N", StringComparison.Ordinal) ? "(anonymous namespace)" : name;
        }

        private static readonly Dictionary<string, string> Operators = new()
        {
            ["nw"] = "new", ["na"] = "new[]", ["dl"] = "delete", ["da"] = "delete[]", ["ps"] = "+", ["ng"] = "-",
            ["ad"] = "&", ["de"] = "*", ["co"] = "~", ["pl"] = "+", ["mi"] = "-", ["ml"] = "*", ["dv"] = "/",
            ["rm"] = "%", ["an"] = "&", ["or"] = "|", ["eo"] = "^", ["aS"] = "=", ["pL"] = "+=", ["mI"] = "-=",
            ["mL"] = "*=", ["dV"] = "/=", ["rM"] = "%=", ["aN"] = "&=", ["oR"] = "|=", ["eO"] = "^=", ["ls"] = "<<",
            ["rs"] = ">>", ["lS"] = "<<=", ["rS"] = ">>=", ["eq"] = "==", ["ne"] = "!=", ["lt"] = "<", ["gt"] = ">",
            ["le"] = "<=", ["ge"] = ">=", ["ss"] = "<=>", ["nt"] = "!", ["aa"] = "&&", ["oo"] = "||", ["pp"] = "++",
            ["mm"] = "--", ["cm"] = ",", ["pm"] = "->*", ["pt"] = "->", ["cl"] = "()", ["ix"] = "[]", ["qu"] = "?",
        };

        private string OperatorName()
        {
            if (_pos + 2 > symbol.Length)
                throw new FormatException();
            string code = symbol.Substring(_pos, 2);
            _pos += 2;
            if (Operators.TryGetValue(code, out var op))
                return "operator" + (char.IsAsciiLetter(op[0]) ? " " : "") + op;
            if (code == "cv")
                return "operator " + Type();
            if (code == "li")
                return "operator\"\" " + SourceName();
            if (code[0] == 'v' && char.IsAsciiDigit(code[1]))
                return "operator " + SourceName();
            throw new FormatException();
        }

        private string TemplateArgs()
        {
            Enter();
            _pos++; // 'I'
            var args = new List<string>();
            while (!Eat("E"))
                args.Add(TemplateArg());
            _templateArgs = args;
            _depth--;
            string joined = string.Join(", ", args);
            return "<" + joined + (joined.EndsWith('>') ? " >" : ">");
        }

        private string TemplateArg()
        {
            if (Eat("L"))
            {
                // A literal: type then value ("Li5E" is 5, "Lb1E" true), or an external name.
                if (Eat("_Z"))
                {
                    string name = Name(isFunction: true);
                    SkipToEnd();
                    return name;
                }
                string type = Type();
                bool negative = Eat("n");
                int start = _pos;
                while (Peek() != 'E')
                    Next();
                string value = symbol[start.._pos];
                _pos++;
                if (type == "bool")
                    return value == "0" ? "false" : "true";
                return (negative ? "-" : "") + value + (type is "unsigned int" ? "u" : type is "long" ? "l" : type is "unsigned long" ? "ul" : "");
            }
            if (Peek() == 'J')
            {
                _pos++;
                var pack = new List<string>();
                while (!Eat("E"))
                    pack.Add(TemplateArg());
                return string.Join(", ", pack);
            }
            if (Peek() == 'X')
                throw new FormatException(); // expressions
            return Type();
        }

        private string TemplateParam()
        {
            _pos++; // 'T'
            int index = 0;
            if (!Eat("_"))
            {
                while (char.IsAsciiDigit(Peek()))
                    index = checked(index * 10 + (Next() - '0'));
                index++;
                if (!Eat("_"))
                    throw new FormatException();
            }
            return index < _templateArgs.Count ? _templateArgs[index] : "auto";
        }

        private string Substitution()
        {
            _pos++; // 'S'
            char c = Next();
            switch (c)
            {
                case 't': return "std";
                case 'a': return "std::allocator";
                case 'b': return "std::basic_string";
                case 's': return "std::string";
                case 'i': return "std::istream";
                case 'o': return "std::ostream";
                case 'd': return "std::iostream";
                case '_': return _subs.Count > 0 ? _subs[0] : throw new FormatException();
            }
            long id = 0;
            _pos--;
            while (Peek() != '_')
            {
                char d = Next();
                int digit = char.IsAsciiDigit(d) ? d - '0' : char.IsAsciiLetterUpper(d) ? d - 'A' + 10 : throw new FormatException();
                id = checked(id * 36 + digit);
            }
            _pos++;
            id++;
            return id < _subs.Count ? _subs[(int)id] : throw new FormatException();
        }

        private static readonly Dictionary<char, string> Builtins = new()
        {
            ['v'] = "void", ['w'] = "wchar_t", ['b'] = "bool", ['c'] = "char", ['a'] = "signed char", ['h'] = "unsigned char",
            ['s'] = "short", ['t'] = "unsigned short", ['i'] = "int", ['j'] = "unsigned int", ['l'] = "long",
            ['m'] = "unsigned long", ['x'] = "long long", ['y'] = "unsigned long long", ['n'] = "__int128",
            ['o'] = "unsigned __int128", ['f'] = "float", ['d'] = "double", ['e'] = "long double", ['g'] = "__float128", ['z'] = "...",
        };

        private string Type()
        {
            Enter();
            string result;
            char c = Peek();
            if (Builtins.TryGetValue(c, out var builtin))
            {
                _pos++;
                result = builtin;
            }
            else
            {
                switch (c)
                {
                    case 'P': _pos++; result = Type() + "*"; _subs.Add(result); break;
                    case 'R': _pos++; result = Type() + "&"; _subs.Add(result); break;
                    case 'O': _pos++; result = Type() + "&&"; _subs.Add(result); break;
                    case 'K': _pos++; result = Type() + " const"; _subs.Add(result); break;
                    case 'V': _pos++; result = Type() + " volatile"; _subs.Add(result); break;
                    case 'r': _pos++; result = Type() + " restrict"; _subs.Add(result); break;
                    case 'T':
                        result = TemplateParam();
                        _subs.Add(result);
                        if (Peek() == 'I')
                        {
                            result += TemplateArgs();
                            _subs.Add(result);
                        }
                        break;
                    case 'S' when Peek(1) != 't':
                        result = Substitution();
                        if (Peek() == 'I')
                        {
                            result += TemplateArgs();
                            _subs.Add(result);
                        }
                        break;
                    case 'D' when Peek(1) == 'n':
                        _pos += 2;
                        result = "decltype(nullptr)";
                        break;
                    case 'N':
                        result = NestedName(isFunction: false); // adds itself as a candidate
                        break;
                    case 'Z' or 'S':
                    case >= '0' and <= '9':
                        result = Name(isFunction: false);
                        _subs.Add(result);
                        break;
                    default:
                        // Function, array and member pointer types, decltype: not needed for names.
                        throw new FormatException();
                }
            }
            _depth--;
            return result;
        }

        private static string LastComponent(string name)
        {
            int template = name.IndexOf('<');
            string plain = template < 0 ? name : name[..template];
            int colon = plain.LastIndexOf("::", StringComparison.Ordinal);
            return colon < 0 ? plain : plain[(colon + 2)..];
        }
    }
}
