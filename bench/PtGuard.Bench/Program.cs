using PtGuard.Bench;

// One entry per metric, so that bench/run can run each as its own step (and a failing one does not hide the rest).
// Usage: PtGuard.Bench <explorer_scenarios|explorer_optimality|explorer_growth|explorer_vs_coyote|mutation_explorer> [--quick]
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
    case "mutation_explorer":
        PtGuard.Bench.Mutation.MutationExperiment.Run(quick);
        return 0;
    default:
        Console.Error.WriteLine("usage: PtGuard.Bench <explorer_scenarios|explorer_optimality|explorer_growth|explorer_vs_coyote|mutation_explorer> [--quick]");
        return 2;
}
