using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Runtime.Tests.Reliability;

/// <summary>
/// A bound that stops an exploration while work remains gives <see cref="Verdict.Inconclusive"/> with
/// <see cref="ExploreResult.StoppedBy"/> set, never <see cref="Verdict.Safe"/>; a bound that is not reached changes
/// nothing. <c>v6-two-walkers</c> has some five thousand executions, so small bounds always cut it short.
/// </summary>
public class BoundedExplorationTests
{
    private static ConcurrentProgram TwoWalkers() => BuiltInScenarios.Find("v6-two-walkers")!.Build();

    [Theory]
    [InlineData(MemoryModel.Arm64, 1)]
    [InlineData(MemoryModel.Arm64, 100)]
    [InlineData(MemoryModel.Sc, 300)]
    public void MaxExecutions_cuts_v6_two_walkers_short_as_inconclusive(MemoryModel model, long max)
    {
        var r = Explorer.Explore(TwoWalkers(), new ExploreOptions { Model = model, MaxExecutions = max });

        Assert.Equal(Verdict.Inconclusive, r.Verdict);
        Assert.Contains("--max-executions", r.StoppedBy, StringComparison.Ordinal);
        Assert.Null(r.Violation);
        Assert.Null(r.Witness);
        Assert.InRange(r.Executions + r.Blocked, 1, max);
    }

    [Fact]
    public void Timeout_cuts_v6_two_walkers_short_as_inconclusive()
    {
        // One millisecond is far too little for thousands of executions; the assertion is on the verdict, not on time.
        var r = Explorer.Explore(TwoWalkers(), new ExploreOptions { Model = MemoryModel.Arm64, Timeout = TimeSpan.FromMilliseconds(1) });

        Assert.Equal(Verdict.Inconclusive, r.Verdict);
        Assert.Contains("--timeout", r.StoppedBy, StringComparison.Ordinal);
        Assert.Null(r.Violation);
    }

    [Theory]
    [InlineData("v6", MemoryModel.Arm64)]
    [InlineData("v6", MemoryModel.Sc)]
    [InlineData("held-across", MemoryModel.Arm64)]
    [InlineData("hw-v6", MemoryModel.Arm64)]
    public void Bounds_that_are_not_reached_leave_a_safe_scenario_safe_with_every_execution(string scenario, MemoryModel model)
    {
        var s = BuiltInScenarios.Find(scenario)!;
        var unbounded = Explorer.Explore(s.Build(), new ExploreOptions { Model = model });
        var bounded = Explorer.Explore(s.Build(), new ExploreOptions
        {
            Model = model,
            MaxExecutions = unbounded.Executions + unbounded.Blocked + 1,
            Timeout = TimeSpan.FromMinutes(10),
        });

        Assert.Equal(Verdict.Safe, unbounded.Verdict);
        Assert.Equal(Verdict.Safe, bounded.Verdict);
        Assert.Null(bounded.StoppedBy);
        Assert.Equal(unbounded.Executions, bounded.Executions);
        Assert.Equal(unbounded.Distinct, bounded.Distinct);
    }

    [Fact]
    public void A_bound_one_short_of_the_work_is_inconclusive_and_one_over_is_safe()
    {
        var v6 = BuiltInScenarios.Find("v6")!;
        var all = Explorer.Explore(v6.Build(), new ExploreOptions { Model = MemoryModel.Arm64 });
        var work = all.Executions + all.Blocked;

        var shortBy1 = Explorer.Explore(v6.Build(), new ExploreOptions { Model = MemoryModel.Arm64, MaxExecutions = work - 1 });
        var overBy1 = Explorer.Explore(v6.Build(), new ExploreOptions { Model = MemoryModel.Arm64, MaxExecutions = work + 1 });

        Assert.Equal(Verdict.Safe, all.Verdict);
        Assert.Equal(Verdict.Inconclusive, shortBy1.Verdict);
        Assert.NotNull(shortBy1.StoppedBy);
        Assert.Equal(Verdict.Safe, overBy1.Verdict);
        Assert.Equal(all.Executions, overBy1.Executions);
    }

    [Theory]
    [InlineData("prepatch", MemoryModel.Sc, 1)]
    [InlineData("v5-enable-disable", MemoryModel.Arm64, 50)]
    public void A_bound_reached_before_the_violation_is_inconclusive_not_safe(string scenario, MemoryModel model, long max)
    {
        var s = BuiltInScenarios.Find(scenario)!;
        var full = Explorer.Explore(s.Build(), new ExploreOptions { Model = model });
        var bounded = Explorer.Explore(s.Build(), new ExploreOptions { Model = model, MaxExecutions = max });

        // The bound is below the executions the exhaustive run needed to reach its violation.
        Assert.Equal(Verdict.Violation, full.Verdict);
        Assert.True(full.Executions + full.Blocked > max);
        Assert.Equal(Verdict.Inconclusive, bounded.Verdict);
        Assert.Null(bounded.Violation);
    }

    [Fact]
    public void A_spin_loop_cut_off_by_the_event_bound_is_inconclusive()
    {
        const ulong flag = 0x1000;
        var memory = new InitialMemory();
        memory.Name(flag, "flag");
        // Nothing ever sets the flag: the loop spins until MaxEventsPerThread cuts it off.
        var program = new ConcurrentProgram("spin", memory, new Action[]
        {
            () =>
            {
                var cpu = Cpu.Current!;
                while (cpu.Load(new Val(flag)).IsZero)
                {
                }
            },
        });

        var r = Explorer.Explore(program, new ExploreOptions { Model = MemoryModel.Sc, MaxEventsPerThread = 64 });

        Assert.Equal(Verdict.Inconclusive, r.Verdict);
        Assert.Contains("64 events", r.StoppedBy, StringComparison.Ordinal);
    }
}
