using System.Globalization;
using PtGuard.Cli.Commands;
using PtGuard.Runtime;

namespace PtGuard.Cli.Tests;

/// <summary>ptdump's output against arch/arm64/mm/ptdump.c's note_page and dump_prot formats.</summary>
public class PtdumpCommandTests
{
    /// <summary>
    /// The kernel's line: <c>"0x%016lx-0x%016lx   "</c>, then <c>"%9lu%c %s"</c> (size in the largest unit that
    /// divides it, level name), then <c>" %s"</c> for every prot bit (set or clear string), then a newline.
    /// </summary>
    private static string KernelLine(ulong start, ulong end, string level, params string[] prot)
    {
        var delta = (end - start) >> 10;
        var units = "KMGTPE";
        var u = 0;
        while ((delta & 1023) == 0 && u + 1 < units.Length)
        {
            delta >>= 10;
            u++;
        }
        var line = string.Format(CultureInfo.InvariantCulture, "0x{0:x16}-0x{1:x16}   {2,9}{3} {4}", start, end, delta, units[u], level);
        return line + string.Concat(prot.Select(p => " " + p));
    }

    // dump_prot's columns in pte_bits order: valid, USR, ro/RW, NX/x, SHD, AF, NG, CON, table/BLK, UXN, GP, attr.
    private static readonly string[] KernelRwNxBlock = { " ", "   ", "RW", "NX", "SHD", "AF", "  ", "   ", "BLK", "UXN", "  ", "MEM/NORMAL" };
    private static readonly string[] KernelRwNxPage = { " ", "   ", "RW", "NX", "SHD", "AF", "  ", "   ", "   ", "UXN", "  ", "MEM/NORMAL" };
    private static readonly string[] KernelRoxPage = { " ", "   ", "ro", "x ", "SHD", "AF", "  ", "   ", "   ", "UXN", "  ", "MEM/NORMAL" };

    [Fact]
    public void Default_dump_matches_the_kernel_format_line_for_line()
    {
        var (exit, output, err) = CliRunner.Run("ptdump");
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        var lines = output.Split('\n');
        Assert.Equal("", lines[^1]);

        const ulong linear = 0xffff000000000000, vmalloc = 0xffff800080000000;
        var expected = new[]
        {
            "---[ Linear Mapping start ]---",
            KernelLine(linear, linear + 0x4000_0000, "PUD", KernelRwNxBlock),
            KernelLine(linear + 0x4000_0000, 0xffff008000000000, "PUD"),
            KernelLine(0xffff008000000000, 0xffff800000000000, "PGD"),
            "---[ Linear Mapping end ]---",
            "---[ Modules start ]---",
            KernelLine(0xffff800000000000, vmalloc, "PUD"),
            "---[ Modules end ]---",
            "---[ vmalloc() area ]---",
            KernelLine(vmalloc, vmalloc + 0x4000, "PTE", KernelRwNxPage),
            KernelLine(vmalloc + 0x4000, vmalloc + 0x8000, "PTE"),
            KernelLine(vmalloc + 0x8000, vmalloc + 0x9000, "PTE", KernelRoxPage),
            KernelLine(vmalloc + 0x9000, vmalloc + 0x200000, "PTE"),
            KernelLine(vmalloc + 0x200000, vmalloc + 0x400000, "PMD", KernelRwNxBlock),
            KernelLine(vmalloc + 0x400000, 0xffff8000c0000000, "PMD"),
            KernelLine(0xffff8000c0000000, 0xffff808000000000, "PUD"),
            KernelLine(0xffff808000000000, 0xfffffc0000000000, "PGD"),
            "---[ vmalloc() end ]---",
            "---[ vmemmap start ]---",
            KernelLine(0xfffffc0000000000, 0, "PGD"),
            "Checked W+X mappings: passed, no W+X pages found",
            "",
        };
        Assert.Equal(expected, lines);
    }

    [Fact]
    public void Known_lines_byte_for_byte()
    {
        var output = CliRunner.Run("ptdump").Out;
        // Typed out as the kernel prints them (three spaces after the range, %9lu, unit, level, prot columns).
        Assert.Contains("\n0xffff000000000000-0xffff000040000000           1G PUD       RW NX SHD AF        BLK UXN    MEM/NORMAL\n", output);
        Assert.Contains("\n0xffff800080000000-0xffff800080004000          16K PTE       RW NX SHD AF            UXN    MEM/NORMAL\n", output);
        Assert.Contains("\n0xffff800080008000-0xffff800080009000           4K PTE       ro x  SHD AF            UXN    MEM/NORMAL\n", output);
        Assert.Contains("\n0xffff800080200000-0xffff800080400000           2M PMD       RW NX SHD AF        BLK UXN    MEM/NORMAL\n", output);
        Assert.Contains("\n0xffff800080009000-0xffff800080200000        2012K PTE\n", output);
        Assert.Contains("\n0xfffffc0000000000-0x0000000000000000           4T PGD\n", output);
    }

    [Fact]
    public void Wx_check_reports_a_writable_executable_page_as_the_kernel_does()
    {
        var m = PtdumpCommand.Sample();
        var vmalloc = PtdumpState.DefaultMarkers(Geometry.Kernel)[4].StartAddress;
        m.MapPage(vmalloc + 16 * Kernel.PageSize, 0x9000_0000, Kernel.PageKernelExec);
        var dump = PtdumpCommand.Dump(m);
        Assert.EndsWith("\nChecked W+X mappings: FAILED, 1 W+X pages found, 0 non-UXN pages found\n", dump);
        Assert.Contains(KernelLine(vmalloc + 0x10000, vmalloc + 0x11000, "PTE", " ", "   ", "RW", "x ", "SHD", "AF", "  ", "   ", "   ", "UXN", "  ", "MEM/NORMAL"), dump);
    }

    [Theory]
    [InlineData("v6")]
    [InlineData("held-across")]
    [InlineData("hw-v6")]
    public void Scenario_dump_shows_its_initial_tables(string scenario)
    {
        var (exit, output, _) = CliRunner.Run("ptdump", "--scenario", scenario);
        Assert.Equal(0, exit);
        Assert.StartsWith("---[ Linear Mapping start ]---\n", output);
        Assert.Contains("---[ vmalloc() area ]---\n", output);
        Assert.Matches(@"\n0x[0-9a-f]{16}-0x[0-9a-f]{16} {3}[ 0-9]{9}[KMGTPE] (PGD|PUD|PMD|PTE)", output);
        Assert.EndsWith("Checked W+X mappings: passed, no W+X pages found\n", output);
    }
}
