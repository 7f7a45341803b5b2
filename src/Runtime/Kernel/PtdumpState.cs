using System.Globalization;
using System.Text;

namespace PtGuard.Runtime;

/// <summary>A named start address in the dump (<c>struct addr_marker</c>).</summary>
public sealed record AddressMarker(ulong StartAddress, string? Name);

/// <summary>
/// <c>struct pg_state</c> of <c>arch/arm64/mm/ptdump.c</c>: collects runs of identical mappings as the walk
/// notes each entry, and prints them in the kernel's debugfs format; or, for <c>ptdump_check_wx</c>, counts
/// writable-executable and non-UXN pages.
/// </summary>
public sealed class PtdumpState
{
    private static readonly (ulong Mask, ulong Val, string Set, string? Clear)[] PteBits =
    {
        (Descriptor.Valid, Descriptor.Valid, " ", "F"),
        (Descriptor.User, Descriptor.User, "USR", "   "),
        (Descriptor.ReadOnly, Descriptor.ReadOnly, "ro", "RW"),
        (Descriptor.Pxn, Descriptor.Pxn, "NX", "x "),
        (Descriptor.ShMask, Descriptor.InnerShareable, "SHD", "   "),
        (Descriptor.Af, Descriptor.Af, "AF", "  "),
        (Descriptor.NotGlobal, Descriptor.NotGlobal, "NG", "  "),
        (Descriptor.Cont, Descriptor.Cont, "CON", "   "),
        (Descriptor.TableBit, Descriptor.TableBit, "   ", "BLK"),
        (Descriptor.Uxn, Descriptor.Uxn, "UXN", "   "),
        (GuardedPage, GuardedPage, "GP", "  "),
        (Descriptor.AttrIndxMask, (ulong)Descriptor.MtDeviceNgnrne << 2, "DEVICE/nGnRnE", null),
        (Descriptor.AttrIndxMask, (ulong)Descriptor.MtDeviceNgnre << 2, "DEVICE/nGnRE", null),
        (Descriptor.AttrIndxMask, (ulong)Descriptor.MtNormalNc << 2, "MEM/NORMAL-NC", null),
        (Descriptor.AttrIndxMask, (ulong)Descriptor.MtNormal << 2, "MEM/NORMAL", null),
        (Descriptor.AttrIndxMask, (ulong)Descriptor.MtNormalTagged << 2, "MEM/NORMAL-TAGGED", null),
    };

    private static readonly string[] LevelNames = { "PGD", "P4D", "PUD", "PMD", "PTE" };
    private static readonly ulong ProtMask = PteBits.Aggregate(0UL, (m, b) => m | b.Mask);
    private const ulong GuardedPage = 1UL << 50;

    private readonly StringBuilder _out = new();
    private readonly IReadOnlyList<AddressMarker> _markers;
    private int _marker;
    private int _level = -1;
    private ulong _start;
    private ulong _prot;

    private PtdumpState(IReadOnlyList<AddressMarker> markers, bool checkWx, bool print, ulong rangeStart)
    {
        _markers = markers;
        CheckWx = checkWx;
        Print = print;
        RangeStart = rangeStart;
    }

    /// <summary>A state for the debugfs dump of <c>init_mm</c> (<c>kernel_page_tables</c>) with the model's markers.</summary>
    public static PtdumpState ForDump() => ForDump(DefaultMarkers(KernelMachine.CurrentGeometry));

    /// <summary>A state for a dump with the given markers (the last one's start is <c>~0</c> and its name null).</summary>
    public static PtdumpState ForDump(IReadOnlyList<AddressMarker> markers)
    {
        ArgumentNullException.ThrowIfNull(markers);
        if (markers.Count < 2) throw new PtGuardException("ptdump: the marker list needs at least a start marker and the -1 sentinel.");
        return new PtdumpState(markers, checkWx: false, print: true, markers[0].StartAddress);
    }

    /// <summary>A state for <c>ptdump_check_wx</c>: no output, counts only.</summary>
    public static PtdumpState ForWxCheck() =>
        new(new[] { new AddressMarker(0, null), new AddressMarker(ulong.MaxValue, null) }, checkWx: true, print: false, KernelMachine.CurrentGeometry.KernelVaStart);

    /// <summary>The markers of the model's kernel address space, laid out as arm64's (linear map, modules, vmalloc, vmemmap).</summary>
    public static IReadOnlyList<AddressMarker> DefaultMarkers(Geometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        var pageOffset = g.KernelVaStart;
        var pageEnd = pageOffset + (1UL << (g.VaBits - 1));
        var modulesEnd = pageEnd + 2 * g.PudSize;
        var vmallocEnd = pageOffset + (1UL << g.VaBits) - (1UL << (g.VaBits - 6));
        return new[]
        {
            new AddressMarker(pageOffset, "Linear Mapping start"),
            new AddressMarker(pageEnd, "Linear Mapping end"),
            new AddressMarker(pageEnd, "Modules start"),
            new AddressMarker(modulesEnd, "Modules end"),
            new AddressMarker(modulesEnd, "vmalloc() area"),
            new AddressMarker(vmallocEnd, "vmalloc() end"),
            new AddressMarker(vmallocEnd, "vmemmap start"),
            new AddressMarker(ulong.MaxValue, null),
        };
    }

    /// <summary>Whether this state counts W+X pages.</summary>
    public bool CheckWx { get; }

    /// <summary>Whether this state prints lines.</summary>
    public bool Print { get; }

    /// <summary>Where the walk starts (<c>PAGE_OFFSET</c>); it ends at <c>~0UL</c>.</summary>
    public ulong RangeStart { get; }

    /// <summary>Pages mapped writable and executable.</summary>
    public ulong WxPages { get; private set; }

    /// <summary>Pages mapped without UXN.</summary>
    public ulong UxnPages { get; private set; }

    /// <summary>The dump, in the kernel's format.</summary>
    public string Output => _out.ToString();

    /// <summary>The W+X summary line, once <see cref="ReportWx"/> ran.</summary>
    public string? WxSummary { get; private set; }

    /// <summary>Writes <c>ptdump_check_wx</c>'s summary line and returns whether the check passed.</summary>
    public bool ReportWx()
    {
        var passed = WxPages == 0 && UxnPages == 0;
        WxSummary = passed
            ? "Checked W+X mappings: passed, no W+X pages found"
            : string.Create(CultureInfo.InvariantCulture, $"Checked W+X mappings: FAILED, {WxPages} W+X pages found, {UxnPages} non-UXN pages found");
        return passed;
    }

    /// <summary><c>note_page(st, addr, level, val)</c>, line for line with the kernel's.</summary>
    internal void NotePage(ulong addr, int level, ulong val)
    {
        var prot = level >= 0 ? val & ProtMask : 0;
        if (_level == -1)
        {
            _level = level;
            _prot = prot;
            _start = addr;
            Marker();
        }
        else if (prot != _prot || level != _level || addr >= _markers[_marker + 1].StartAddress)
        {
            if (_prot != 0)
            {
                NoteUxn(addr);
                NoteWx(addr);
            }
            Printf(string.Create(CultureInfo.InvariantCulture, $"0x{_start:x16}-0x{addr:x16}   "));
            var units = "KMGTPE";
            var unit = 0;
            var delta = unchecked(addr - _start) >> 10;
            while ((delta & 1023) == 0 && unit + 1 < units.Length)
            {
                delta >>= 10;
                unit++;
            }
            Printf(string.Create(CultureInfo.InvariantCulture, $"{delta,9}{units[unit]} {LevelNames[_level]}"));
            if (_prot != 0) DumpProt();
            Printf("\n");
            if (addr >= _markers[_marker + 1].StartAddress)
            {
                _marker++;
                Marker();
            }
            _start = addr;
            _prot = prot;
            _level = level;
        }
        if (addr >= _markers[_marker + 1].StartAddress)
        {
            _marker++;
            Marker();
        }
    }

    private void Marker() => Printf($"---[ {_markers[_marker].Name} ]---\n");

    private void DumpProt()
    {
        foreach (var (mask, val, set, clear) in PteBits)
        {
            var s = (_prot & mask) == val ? set : clear;
            if (s is not null) Printf(" " + s);
        }
    }

    private void NoteUxn(ulong addr)
    {
        if (!CheckWx || (_prot & Descriptor.Uxn) == Descriptor.Uxn) return;
        UxnPages += unchecked(addr - _start) / Kernel.PageSize;
    }

    private void NoteWx(ulong addr)
    {
        if (!CheckWx || (_prot & Descriptor.ReadOnly) == Descriptor.ReadOnly || (_prot & Descriptor.Pxn) == Descriptor.Pxn) return;
        WxPages += unchecked(addr - _start) / Kernel.PageSize;
    }

    private void Printf(string s)
    {
        if (Print) _out.Append(s);
    }
}
