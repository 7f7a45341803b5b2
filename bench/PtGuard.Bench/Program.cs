using PtGuard.Bench;

// One entry per metric, so that bench/run can run each as its own step (and a failing one does not hide the rest).
// Usage: PtGuard.Bench <explorer_scenarios|explorer_optimality|explorer_growth|explorer_vs_coyote|mutation_explorer|analyzer_overhead|analyzer_vs_vsthrd|analyzer_inert|analyzer_scaling> [--quick]
var quick = args.Contains("--quick");
var command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
switch (command)
{
    case "explorer_scenarios":
        ExplorerMetrics.Scenarios(quick);
        return 0;
    case "explorer_optimality":
        ExplorerMetrics.Optimality(quick);
        return 0;
    case "explorer_growth":
        ExplorerMetrics.Growth(quick);
        return 0;
    case "explorer_vs_coyote":
        VsCoyoteMetric.Run(quick);
        return 0;
    case "analyzer_overhead":
        PtGuard.Bench.Analyzers.AnalyzerMetrics.Overhead(quick);
        return 0;
    case "analyzer_vs_vsthrd":
        PtGuard.Bench.Analyzers.AnalyzerMetrics.VsThreading(quick);
        return 0;
    case "analyzer_inert":
        PtGuard.Bench.Analyzers.AnalyzerMetrics.Inert(quick);
        return 0;
    case "analyzer_scaling":
        PtGuard.Bench.Analyzers.ScalingMetric.Run(quick);
        return 0;
    case "mutation_explorer":
        PtGuard.Bench.Mutation.MutationExperiment.Run(quick);
        return 0;
    default:
        Console.Error.WriteLine("usage: PtGuard.Bench <explorer_scenarios|explorer_optimality|explorer_growth|explorer_vs_coyote|mutation_explorer|analyzer_overhead|analyzer_vs_vsthrd|analyzer_inert|analyzer_scaling> [--quick]");
        return 2;
}
