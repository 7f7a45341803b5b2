using System.Globalization;
using System.Text;

namespace PtGuard.Runtime.Litmus;

/// <summary>
/// Reads a herd7 AArch64 litmus file: header (<c>AArch64 NAME</c>), optional doc string and <c>Key=Value</c>
/// lines, the init block, the thread table (columns separated by <c>|</c>, rows ending with <c>;</c>, labels),
/// and the final section (<c>locations</c>, <c>filter</c>, <c>exists</c> / <c>~exists</c> / <c>forall</c>).
/// <c>(* … *)</c> comments may appear anywhere. Every error is a <see cref="LitmusException"/> with the line.
/// </summary>
public static class LitmusParser
{
    /// <summary>NOP's encoding; a patched site holds real encodings for NOP and B, other instructions get tokens.</summary>
    internal const ulong NopEncoding = 0xd503201f;

    private static readonly string[] SupportedVariants = { "Ifetch" };

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    public static LitmusTest ParseFile(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LitmusException(path, 1, $"cannot read the file ({ex.Message})");
        }
        return Parse(text, path);
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="file"/> names it in errors.</summary>
    public static LitmusTest Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(StripComments(text.Replace("\r\n", "\n", StringComparison.Ordinal), file), file).Run();
    }

    /// <summary>Decimal (possibly negative) or 0x-hexadecimal; null if neither.</summary>
    internal static ulong? ParseNumber(string s)
    {
        s = s.Trim();
        var neg = s.StartsWith('-');
        if (neg) s = s[1..];
        ulong v;
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v)) return null;
        }
        else if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v))
        {
            return null;
        }
        return neg ? unchecked(0 - v) : v;
    }

    /// <summary>Blanks out (possibly nested) <c>(* … *)</c> comments, keeping line breaks so that line numbers stay right.</summary>
    private static string StripComments(string text, string file)
    {
        var sb = new StringBuilder(text.Length);
        var depth = 0;
        var openLine = 0;
        var line = 1;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') line++;
            if (depth == 0 && c == '"') inString = !inString;
            if (c == '\n') inString = false;
            if (!inString && c == '(' && i + 1 < text.Length && text[i + 1] == '*')
            {
                if (depth == 0) openLine = line;
                depth++;
                sb.Append("  ");
                i++;
                continue;
            }
            if (depth > 0 && c == '*' && i + 1 < text.Length && text[i + 1] == ')')
            {
                depth--;
                sb.Append("  ");
                i++;
                continue;
            }
            sb.Append(depth > 0 && c != '\n' ? ' ' : c);
        }
        if (depth > 0) throw new LitmusException(file, openLine, "unterminated comment '(*'");
        return sb.ToString();
    }

    private sealed class Parser
    {
        private readonly string _file;
        private readonly string[] _lines;
        private readonly LitmusLayout _layout = new();
        private readonly List<string> _variants = new();
        private string _name = "";
        private int _row;

        public Parser(string text, string file)
        {
            _file = file;
            _lines = text.Split('\n');
        }

        private LitmusException Error(int line, string what) => new(_file, line, what);

        public LitmusTest Run()
        {
            Header();
            Meta();
            var initLines = InitBlock();
            var threads = Table();
            Init(initLines, threads);
            ResolveLabels(threads);
            PairExclusives(threads);
            var (condition, filter, locations) = new ConditionParser(_file, _lines, _row, _layout, threads.Count).Run();
            return new LitmusTest(_file, _name, _variants, _layout, threads, condition, filter, locations);
        }

        private void Header()
        {
            while (_row < _lines.Length && string.IsNullOrWhiteSpace(_lines[_row])) _row++;
            if (_row == _lines.Length) throw Error(1, "empty file: expected a header line 'AArch64 NAME'");
            var parts = _lines[_row].Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (!parts[0].Equals("AArch64", StringComparison.OrdinalIgnoreCase))
            {
                throw Error(_row + 1, $"unsupported architecture '{parts[0]}': only AArch64 litmus tests are supported");
            }
            if (parts.Length < 2) throw Error(_row + 1, "the header line needs a test name: 'AArch64 NAME'");
            _name = parts[1].Trim();
            _row++;
        }

        private void Meta()
        {
            for (; _row < _lines.Length; _row++)
            {
                var s = _lines[_row].Trim();
                if (s.Length == 0 || s.StartsWith('"')) continue;
                if (s.StartsWith('{')) return;
                var eq = s.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw Error(_row + 1, $"expected 'Key=Value', a doc string or the init block '{{', found '{s}'");
                var key = s[..eq].Trim();
                if (!key.Equals("Variant", StringComparison.OrdinalIgnoreCase)) continue;
                foreach (var v in s[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var known = SupportedVariants.FirstOrDefault(x => x.Equals(v, StringComparison.OrdinalIgnoreCase));
                    if (known is null) throw Error(_row + 1, $"unsupported variant '{v}' (supported: {string.Join(", ", SupportedVariants)})");
                    _variants.Add(known);
                }
            }
            throw Error(_lines.Length, "missing init block '{ ... }'");
        }

        /// <summary>The init block's entries, each with the line it starts on.</summary>
        private List<(int Line, string Text)> InitBlock()
        {
            var startLine = _row + 1;
            var sb = new StringBuilder();
            var lineOfChar = new List<int>();
            var first = _lines[_row].IndexOf('{', StringComparison.Ordinal) + 1;
            var closed = false;
            var depth = 0;
            for (; _row < _lines.Length && !closed; _row++)
            {
                var s = _row + 1 == startLine ? _lines[_row][first..] : _lines[_row];
                // The block's '}' is the first one outside nested braces ("int v[2]={1,2};").
                var close = -1;
                for (var k = 0; k < s.Length && close < 0; k++)
                {
                    if (s[k] == '{') depth++;
                    else if (s[k] == '}' && depth-- == 0) close = k;
                }
                if (close >= 0)
                {
                    if (s[(close + 1)..].Trim().Length > 0) throw Error(_row + 1, "unexpected text after the init block's '}'");
                    s = s[..close];
                    closed = true;
                }
                foreach (var c in s)
                {
                    sb.Append(c);
                    lineOfChar.Add(_row + 1);
                }
                sb.Append('\n');
                lineOfChar.Add(_row + 1);
            }
            if (!closed) throw Error(startLine, "the init block '{' is never closed with '}'");
            var text = sb.ToString();
            var entries = new List<(int, string)>();
            var start = 0;
            var quoted = false;
            for (var i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] == '"') quoted = !quoted;
                if (i < text.Length && (text[i] != ';' || quoted)) continue;
                var entry = text[start..i];
                var lead = entry.Length - entry.TrimStart().Length;
                if (entry.Trim().Length > 0) entries.Add((lineOfChar[start + lead], entry.Trim()));
                start = i + 1;
            }
            return entries;
        }

        private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
        {
            "int", "long", "char", "short", "uint64_t", "int64_t", "uint32_t", "int32_t", "uint16_t", "int16_t", "uint8_t", "int8_t",
            "unsigned", "signed", "intptr_t", "uintptr_t", "pteval_t",
        };

        private void Init(List<(int Line, string Text)> entries, List<LitmusThread> threads)
        {
            foreach (var _ in threads) _layout.Registers.Add(new Dictionary<int, ulong>());
            foreach (var (line, raw) in entries)
            {
                var text = raw;
                if (text.Contains('\n', StringComparison.Ordinal) && text.Count(c => c == '=') > 1)
                {
                    throw Error(line, $"malformed init: missing ';' between '{text.Split('\n')[0].Trim()}' and the next entry");
                }
                text = text.Replace('\n', ' ').Trim();
                // Leading type words: "uint64_t x=1", "unsigned long x".
                var words = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                while (words.Length == 2 && Types.Contains(words[0]))
                {
                    text = words[1].Trim();
                    words = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                }
                if (words.Length == 1 && Types.Contains(words[0])) throw Error(line, $"malformed init: '{raw}' declares no name");
                var eq = text.IndexOf('=', StringComparison.Ordinal);
                var lhs = (eq < 0 ? text : text[..eq]).Trim();
                var rhs = eq < 0 ? null : text[(eq + 1)..].Trim();
                if (rhs is { Length: 0 }) throw Error(line, $"malformed init: '{raw}' has no value after '='");
                var colon = lhs.IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0)
                {
                    if (!int.TryParse(lhs[..colon].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var t) || t >= threads.Count)
                    {
                        throw Error(line, $"malformed init: '{lhs}' does not name a register of one of the {threads.Count} threads (expected 'N:Xr')");
                    }
                    var reg = InstructionDecoder.ParseReg(lhs[(colon + 1)..]);
                    if (reg is null || reg.Value.IsZero) throw Error(line, $"malformed init: '{lhs[(colon + 1)..].Trim()}' is not a register X0-X30/W0-W30");
                    // "uint32_t 0:X1;" only declares a type: the register starts at 0.
                    _layout.Registers[t][reg.Value.Number] = rhs is null ? 0 : Value(line, rhs, threads, reg.Value.Wide);
                    continue;
                }
                // "int *p=&x": a pointer is a word holding an address.
                if (lhs.StartsWith('*')) lhs = lhs[1..].Trim();
                if (lhs.Contains('[', StringComparison.Ordinal)) throw Error(line, $"arrays are not supported ('{raw}'): every location is one 64-bit word");
                if (!IsIdentifier(lhs)) throw Error(line, $"malformed init: '{raw}' (expected 'N:Xr=value', 'x=value' or 'TYPE x=value')");
                _layout.AddressOf(lhs);
                _layout.InitialValues[lhs] = rhs is null ? 0 : Value(line, rhs, threads, wide: true);
            }
        }

        private ulong Value(int line, string s, List<LitmusThread> threads, bool wide)
        {
            if (ParseNumber(s) is { } n) return wide ? n : n & 0xFFFF_FFFF;
            if (s.StartsWith("&", StringComparison.Ordinal) && IsIdentifier(s[1..].Trim())) return _layout.AddressOf(s[1..].Trim());
            if (s.StartsWith("label:", StringComparison.Ordinal)) return LabelValue(line, Quoted(line, s[6..]), threads);
            if (s.StartsWith("instr:", StringComparison.Ordinal)) return InstrValue(line, Quoted(line, s[6..]));
            if (IsIdentifier(s)) return _layout.AddressOf(s);
            throw Error(line, $"malformed init value '{s}' (expected a number, a location name, label:\"Pn:L\" or instr:\"...\")");
        }

        private string Quoted(int line, string s)
        {
            s = s.Trim();
            if (s.Length < 2 || s[0] != '"' || s[^1] != '"') throw Error(line, $"malformed init value: expected a quoted string, found '{s}'");
            return s[1..^1];
        }

        private ulong LabelValue(int line, string s, List<LitmusThread> threads)
        {
            RequireIfetch(line, "label:");
            var colon = s.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !s.StartsWith('P') || !int.TryParse(s[1..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var t) || t >= threads.Count)
            {
                throw Error(line, $"malformed label value \"{s}\" (expected \"Pn:LABEL\" naming one of the {threads.Count} threads)");
            }
            var label = s[(colon + 1)..];
            var thread = threads[t];
            if (!thread.Labels.TryGetValue(label, out var index)) throw Error(line, $"undefined label '{label}' in P{t}");
            if (index >= thread.Code.Count) throw Error(line, $"label '{label}' in P{t} is not followed by an instruction");
            var name = $"P{t}:{label}";
            var address = _layout.AddressOf(name);
            if (!_layout.PatchSites.ContainsKey((t, index)))
            {
                var original = thread.Code[index];
                var encoding = Encode(original, index, thread);
                _layout.PatchSites[(t, index)] = address;
                _layout.InitialValues[name] = encoding;
                _layout.Encodings.TryAdd(encoding, original);
            }
            return address;
        }

        private ulong InstrValue(int line, string s)
        {
            RequireIfetch(line, "instr:");
            var ins = InstructionDecoder.Decode(s, _file, line);
            var encoding = Encode(ins, -1, null);
            _layout.Encodings.TryAdd(encoding, ins);
            return encoding;
        }

        /// <summary>NOP and B get their real encodings (B relative to its site); others a token no data value collides with.</summary>
        private ulong Encode(Instruction ins, int index, LitmusThread? thread)
        {
            if (ins.Op == Op.Nop) return NopEncoding;
            if (ins.Op == Op.B && thread is not null && thread.Labels.TryGetValue(ins.Target!, out var target))
            {
                return 0x1400_0000UL | ((ulong)(uint)(target - index) & 0x03FF_FFFF);
            }
            var existing = _layout.Encodings.FirstOrDefault(kv => kv.Value.Text == ins.Text && kv.Key >= 0xF000_0000);
            return existing.Value is not null ? existing.Key : 0xF000_0000UL + (ulong)_layout.Encodings.Count;
        }

        private void RequireIfetch(int line, string what)
        {
            if (!_variants.Contains("Ifetch")) throw Error(line, $"{what} values need 'Variant=Ifetch' (instruction fetch)");
        }

        private static bool IsIdentifier(string s) =>
            s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c is '_' or '.');

        private List<LitmusThread> Table()
        {
            while (_row < _lines.Length && string.IsNullOrWhiteSpace(_lines[_row])) _row++;
            if (_row == _lines.Length) throw Error(_lines.Length, "missing the thread table ('P0 | P1 ;')");
            var headerLine = _row + 1;
            var header = Cells(_lines[_row]);
            var threads = new List<LitmusThread>();
            for (var k = 0; k < header.Count; k++)
            {
                if (header[k] != $"P{k}") throw Error(headerLine, $"expected thread name 'P{k}' in the table header, found '{header[k]}'");
                threads.Add(new LitmusThread(k));
            }
            _row++;
            for (; _row < _lines.Length; _row++)
            {
                var s = _lines[_row].Trim();
                if (s.Length == 0) continue;
                if (ConditionParser.StartsFinalSection(s)) break;
                if (!s.EndsWith(';')) throw Error(_row + 1, $"expected a table row ending with ';' or the final condition (exists, ~exists, forall), found '{s}'");
                var cells = Cells(_lines[_row]);
                if (cells.Count > threads.Count) throw Error(_row + 1, $"row has {cells.Count} columns, the table has {threads.Count} threads");
                for (var k = 0; k < cells.Count; k++) Cell(threads[k], cells[k], _row + 1);
            }
            return threads;
        }

        private static List<string> Cells(string line)
        {
            var s = line.Trim();
            if (s.EndsWith(';')) s = s[..^1];
            return s.Split('|').Select(c => c.Trim()).ToList();
        }

        private void Cell(LitmusThread thread, string cell, int line)
        {
            while (cell.Length > 0)
            {
                var colon = cell.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) break;
                var label = cell[..colon].Trim();
                if (!IsIdentifier(label)) throw Error(line, $"'{label}' is not a valid label in P{thread.Id}");
                if (thread.Labels.ContainsKey(label)) throw Error(line, $"label '{label}' is defined twice in P{thread.Id}");
                thread.Labels[label] = thread.Code.Count;
                thread.LabelLines[label] = line;
                cell = cell[(colon + 1)..].Trim();
            }
            if (cell.Length == 0) return;
            thread.Code.Add(InstructionDecoder.Decode(cell, _file, line));
        }

        /// <summary>
        /// Each STXR must close an LDXR of the same base register with only register instructions between (the
        /// pattern <c>LDXR; ADD; STXR</c>): the pair then runs as one read-modify-write when the STXR succeeds.
        /// </summary>
        private void PairExclusives(List<LitmusThread> threads)
        {
            foreach (var t in threads)
            {
                for (var j = 0; j < t.Code.Count; j++)
                {
                    var stx = t.Code[j];
                    if (stx.Op != Op.Stx) continue;
                    var k = j - 1;
                    while (k >= 0 && t.Code[k].Op is Op.Mov or Op.Mvn or Op.Alu or Op.Csel or Op.Nop) k--;
                    var inside = t.Labels.Values.Any(l => l > k && l <= j);
                    if (k < 0 || t.Code[k].Op != Op.Ldx || inside || !SameExclusiveAddress(t.Code[k].Mem, stx.Mem))
                    {
                        throw Error(stx.Line, $"'{stx.Text}' in P{t.Id} must close an LDXR/LDAXR of the same [Xn] with only register instructions (and no label) between them");
                    }
                    if (stx.Rs.Number == stx.Rd.Number && !stx.Rs.IsZero || stx.Rs.Number == stx.Mem.Base.Number)
                    {
                        throw Error(stx.Line, $"'{stx.Text}': the status register must differ from the data and address registers");
                    }
                    t.ExclusivePairs[k] = j;
                }
            }
        }

        private static bool SameExclusiveAddress(MemOperand a, MemOperand b) =>
            a.Base == b.Base && a.Index is null && b.Index is null && a.Offset == 0 && b.Offset == 0 && !a.PreIndex && !a.PostIndex && !b.PreIndex && !b.PostIndex;

        private void ResolveLabels(List<LitmusThread> threads)
        {
            foreach (var t in threads)
            {
                foreach (var ins in t.Code)
                {
                    if (ins.Target is not null && !t.Labels.ContainsKey(ins.Target))
                    {
                        throw Error(ins.Line, $"undefined label '{ins.Target}' in P{t.Id} ('{ins.Text}')");
                    }
                }
            }
        }
    }
}
