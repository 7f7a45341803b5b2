using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Memory;

public class EngineSmokeTests
{
    [Theory]
    [InlineData(MemoryModel.Sc, false)]
    [InlineData(MemoryModel.Arm64, true)]
    public void SB_outcome_0_0_only_on_arm64(MemoryModel model, bool allowed)
    {
        var s = new Shape()
            .Thread(c => { c.Store(Shape.X, 1); c.Report("r0", c.Load(Shape.Y).Observe()); })
            .Thread(c => { c.Store(Shape.Y, 1); c.Report("r0", c.Load(Shape.X).Observe()); });
        var (o, r) = s.Outcomes(model);
        Assert.Equal(allowed, o.Contains("0:r0=0 1:r0=0"));
        Assert.Contains("0:r0=1 1:r0=1", o);
        Assert.Equal(r.Executions, r.Distinct);
    }

    [Theory]
    [InlineData(MemoryModel.Sc, false)]
    [InlineData(MemoryModel.Arm64, true)]
    public void LB_outcome_1_1_only_on_arm64(MemoryModel model, bool allowed)
    {
        var s = new Shape()
            .Thread(c => { var r = c.Load(Shape.X); c.Store(Shape.Y, 1); c.Report("r0", r.Observe()); })
            .Thread(c => { var r = c.Load(Shape.Y); c.Store(Shape.X, 1); c.Report("r0", r.Observe()); });
        var (o, r) = s.Outcomes(model);
        Assert.Equal(allowed, o.Contains("0:r0=1 1:r0=1"));
        Assert.Equal(r.Executions, r.Distinct);
    }

    [Fact]
    public void SB_with_full_barriers_is_forbidden_on_arm64()
    {
        var s = new Shape()
            .Thread(c => { c.Store(Shape.X, 1); c.Fence(BarrierKind.DmbFull); c.Report("r0", c.Load(Shape.Y).Observe()); })
            .Thread(c => { c.Store(Shape.Y, 1); c.Fence(BarrierKind.DmbFull); c.Report("r0", c.Load(Shape.X).Observe()); });
        var (o, r) = s.Outcomes(MemoryModel.Arm64);
        Assert.DoesNotContain("0:r0=0 1:r0=0", o);
        Assert.Equal(3, o.Count);
        Assert.Equal(r.Executions, r.Distinct);
    }
}
