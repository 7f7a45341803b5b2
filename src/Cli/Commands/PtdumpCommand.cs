using System.CommandLine;
using PtGuard.Runtime;
using PtGuard.Runtime.Scenarios;
using static PtGuard.Runtime.Kernel;

namespace PtGuard.Cli.Commands;

/// <summary>
/// <c>ptguard ptdump [--scenario NAME]</c>: the debugfs <c>kernel_page_tables</c> dump of a kernel model
/// (arch/arm64/mm/ptdump.c's format), then <c>ptdump_check_wx</c>'s summary line. Without <c>--scenario</c> the
/// model is a 4-level, 4 KiB-granule kernel (Geometry.Kernel) with a 1G block in the linear map, and in the
/// vmalloc area a 2M block, a read-only-executable page and a few 4K data pages; with it, the initial tables of
/// that built-in scenario's machine.
/// </summary>
internal sealed class PtdumpCommand : ICliCommand
{
    public string Name => "ptdump";

    public Command Build(CliContext context)
    {
        var scenario = new Option<string?>("--scenario") { Description = "Dump the initial tables of this built-in scenario (see explore --list)." };
        var command = new Command(Name, "Print the kernel page-table dump of a built-in kernel model, then the W+X check line.");
        command.Options.Add(scenario);
        command.SetAction(parse =>
        {
            var name = parse.GetValue(scenario);
            KernelMachine machine;
            if (name is null)
            {
                machine = Sample();
            }
            else
            {
                var found = BuiltInScenarios.Find(name)
                    ?? throw new UsageException($"ptguard ptdump: unknown scenario '{name}' (known: {string.Join(", ", BuiltInScenarios.All.Select(s => s.Name))})");
                machine = found.Build().Context as KernelMachine
                    ?? throw new UsageException($"ptguard ptdump: scenario '{name}' has no kernel model to dump");
            }
            context.Out.Write(Dump(machine));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The dump followed by the W+X line, exactly as printed.</summary>
    internal static string Dump(KernelMachine machine)
    {
        // Two sequential runs (the dump, then ptdump_check_wx), each a walk of a few thousand loads.
        string? dump = null, wx = null;
        machine.RunSequential(() =>
        {
            var st = PtdumpState.ForDump();
            PtdumpWalkPgd(st, InitMm);
            dump = st.Output;
        }, "ptdump");
        machine.RunSequential(() =>
        {
            var st = PtdumpState.ForWxCheck();
            PtdumpWalkPgd(st, InitMm);
            st.ReportWx();
            wx = st.WxSummary;
        }, "ptdump_check_wx");
        if (dump is null || wx is null) throw new PtGuardException("ptdump: the walk did not finish (the model has more entries than a sequential run may visit).");
        return dump + wx + "\n";
    }

    /// <summary>Linear map: a 1G block at PAGE_OFFSET. vmalloc area: 4K data pages, a 4K ROX text page, a 2M block.</summary>
    internal static KernelMachine Sample()
    {
        var g = Geometry.Kernel;
        var m = new KernelMachine(g);
        var markers = PtdumpState.DefaultMarkers(g);
        var linear = markers[0].StartAddress;
        var vmalloc = markers[4].StartAddress;
        m.MapBlock(1, linear, 0x4000_0000, PageKernel);
        for (var i = 0UL; i < 4; i++) m.MapPage(vmalloc + i * PageSize, 0x8000_0000 + i * PageSize, PageKernel);
        m.MapPage(vmalloc + 8 * PageSize, 0x8010_0000, PageKernelRox);
        m.MapBlock(2, vmalloc + PmdSize, 0x8020_0000, PageKernel);
        return m;
    }
}
