using System.Globalization;

namespace PtGuard.Runtime.Litmus;

/// <summary>
/// The final section of a litmus file: optional <c>locations [...]</c> and <c>filter P</c>, then
/// <c>exists P</c>, <c>~exists P</c> or <c>forall P</c>. Propositions use <c>/\</c>, <c>\/</c>, <c>~</c>,
/// parentheses, <c>true</c>/<c>false</c> and atoms <c>N:Xr=v</c>, <c>[x]=v</c>, <c>x=v</c> (also <c>!=</c>).
/// </summary>
internal sealed class ConditionParser
{
    private readonly string _file;
    private readonly LitmusLayout _layout;
    private readonly int _threads;
    private readonly List<(string Text, int Line)> _tokens = new();
    private int _pos;
    private readonly int _lastLine;

    public ConditionParser(string file, string[] lines, int row, LitmusLayout layout, int threads)
    {
        _file = file;
        _layout = layout;
        _threads = threads;
        _lastLine = Math.Max(1, lines.Length);
        for (var r = row; r < lines.Length; r++) Tokenize(lines[r], r + 1);
    }

    public static bool StartsFinalSection(string s)
    {
        var t = s.TrimStart('~', ' ', '\t');
        return StartsWithWord(t, "exists") || StartsWithWord(t, "forall") || StartsWithWord(t, "filter") || StartsWithWord(t, "locations");
    }

    private static bool StartsWithWord(string s, string word) =>
        s.StartsWith(word, StringComparison.Ordinal) && (s.Length == word.Length || !char.IsLetterOrDigit(s[word.Length]));

    public (LitmusCondition Condition, LitmusProp? Filter, IReadOnlyList<LitmusLoc> Locations) Run()
    {
        var locations = new List<LitmusLoc>();
        LitmusProp? filter = null;
        if (Peek == "locations")
        {
            Next();
            Expect("[");
            while (Peek != "]")
            {
                if (Peek == ";") { Next(); continue; }
                locations.Add(Loc());
            }
            Expect("]");
        }
        if (Peek == "filter")
        {
            Next();
            filter = Prop();
        }
        if (Peek is null)
        {
            // No condition (herd7 then only lists the final states of the locations): as "forall true".
            return (new LitmusCondition(LitmusQuantifier.Forall, new PropTrue(true), "true"), filter, locations);
        }
        var quantifier = Peek switch
        {
            "exists" => LitmusQuantifier.Exists,
            "forall" => LitmusQuantifier.Forall,
            "~" when PeekAt(1) == "exists" => LitmusQuantifier.NotExists,
            _ => throw Error($"expected exists, ~exists or forall, found '{Peek ?? "end of file"}'"),
        };
        if (quantifier == LitmusQuantifier.NotExists) Next();
        Next();
        var from = _pos;
        var body = Prop();
        var end = _pos;
        while (Peek == ";") Next();
        if (Peek is not null) throw Error($"unexpected '{Peek}' after the condition");
        var text = Render(_tokens.Skip(from).Take(end - from).Select(t => t.Text));
        return (new LitmusCondition(quantifier, body, text), filter, locations);
    }

    private string? Peek => _pos < _tokens.Count ? _tokens[_pos].Text : null;

    private string? PeekAt(int k) => _pos + k < _tokens.Count ? _tokens[_pos + k].Text : null;

    private int Line => _pos < _tokens.Count ? _tokens[_pos].Line : (_tokens.Count > 0 ? _tokens[^1].Line : _lastLine);

    private string Next() => _pos < _tokens.Count ? _tokens[_pos++].Text : throw Error("the condition ends too early");

    private void Expect(string t)
    {
        if (Peek != t) throw Error($"malformed condition: expected '{t}', found '{Peek ?? "end of file"}'");
        _pos++;
    }

    private LitmusException Error(string what) => new(_file, Line, what);

    private LitmusProp Prop()
    {
        var left = Conj();
        while (Peek == "\\/")
        {
            Next();
            left = new PropOr(left, Conj());
        }
        return left;
    }

    private LitmusProp Conj()
    {
        var left = Unary();
        while (Peek == "/\\")
        {
            Next();
            left = new PropAnd(left, Unary());
        }
        return left;
    }

    private LitmusProp Unary()
    {
        switch (Peek)
        {
            case "~":
                Next();
                return new PropNot(Unary());
            case "(":
                Next();
                var p = Prop();
                Expect(")");
                return p;
            case "true":
                Next();
                return new PropTrue(true);
            case "false":
                Next();
                return new PropTrue(false);
            case null:
                throw Error("malformed condition: it ends where an atom was expected");
        }
        var loc = Loc();
        var op = Peek;
        if (op is not ("=" or "==" or "!=")) throw Error($"malformed condition: expected '=' after {loc}, found '{op ?? "end of file"}'");
        Next();
        var (value, alt) = Value();
        return new PropEq(loc, value, alt, op == "!=");
    }

    private LitmusLoc Loc()
    {
        var t = Peek ?? throw Error("malformed condition: expected a register or a location");
        if (t == "[")
        {
            Next();
            var name = Next();
            Expect("]");
            return MemoryLoc(name);
        }
        if (PeekAt(1) == ":" && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var thread))
        {
            Next();
            Next();
            var regText = Next();
            if (thread >= _threads) throw Error($"unknown register '{t}:{regText}': the test has {_threads} threads");
            var reg = InstructionDecoder.ParseReg(regText);
            if (reg is null || reg.Value.IsZero) throw Error($"unknown register '{t}:{regText}' (expected X0-X30 or W0-W30)");
            return new LitmusLoc(thread, reg.Value.Number, null);
        }
        if (IsName(t))
        {
            Next();
            return MemoryLoc(t);
        }
        throw Error($"malformed condition: '{t}' is not a register or a location");
    }

    private LitmusLoc MemoryLoc(string name)
    {
        if (!_layout.Addresses.ContainsKey(name) || name.Contains(':', StringComparison.Ordinal))
        {
            throw Error($"unknown location '{name}' in the condition (not declared in the init block)");
        }
        return new LitmusLoc(-1, -1, name);
    }

    private (ulong Value, ulong? Alt) Value()
    {
        var t = Next();
        if (t == "-" && Peek is { } n)
        {
            Next();
            t = "-" + n;
        }
        if (LitmusParser.ParseNumber(t) is { } v)
        {
            ulong? alt = t.StartsWith('-') && (long)v >= int.MinValue ? v & 0xFFFF_FFFF : null;
            return (v, alt);
        }
        if (IsName(t))
        {
            if (!_layout.Addresses.TryGetValue(t, out var a)) throw new LitmusException(_file, _tokens[_pos - 1].Line, $"unknown location '{t}' used as a value in the condition");
            return (a, null);
        }
        throw new LitmusException(_file, _tokens[_pos - 1].Line, $"malformed condition: '{t}' is not a value");
    }

    /// <summary>Tokens back to herd7's spelling: spaces only around the connectives.</summary>
    private static string Render(IEnumerable<string> tokens)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var t in tokens)
        {
            if (t is "/\\" or "\\/") sb.Append(' ').Append(t).Append(' ');
            else sb.Append(t);
        }
        return sb.ToString();
    }

    private static bool IsName(string t) => t.Length > 0 && (char.IsLetter(t[0]) || t[0] == '_') && t.All(c => char.IsLetterOrDigit(c) || c is '_' or '.');

    private void Tokenize(string s, int line)
    {
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (i + 1 < s.Length)
            {
                var two = s.Substring(i, 2);
                if (two is "/\\" or "\\/" or "==" or "!=")
                {
                    _tokens.Add((two, line));
                    i += 2;
                    continue;
                }
            }
            if (c is '(' or ')' or '[' or ']' or '~' or '=' or ':' or ';' or '-')
            {
                _tokens.Add((c.ToString(), line));
                i++;
                continue;
            }
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                var start = i;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '.')) i++;
                _tokens.Add((s[start..i], line));
                continue;
            }
            throw new LitmusException(_file, line, $"malformed condition: unexpected character '{c}'");
        }
    }
}
