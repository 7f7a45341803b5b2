using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Litmus;

/// <summary>
/// Pick dependencies (aarch64hwreqs.cat's <c>pob</c> and <c>pick-lob</c>), kept per register beside its
/// <see cref="Val"/>: what CSEL's flags, a successful CAS's register, or a store and reload (lrs) of a
/// pick-dependent value carry. They order writes (never a read by its address), as the class summary says.
/// </summary>
internal sealed partial class LitmusInterpreter
{
    private DepSet _flagPick;
    private readonly DepSet[] _pick = new DepSet[32];
    private readonly Dictionary<ulong, DepSet> _memPick = new();
    private readonly Dictionary<ulong, DepSet> _locPicks = new();
    private DepSet _readPicks;
    private DepSet _writePicks;
    private DepSet _addressPick;

    /// <summary>
    /// Records a store's pick dependencies (<paramref name="dataPick"/> and its address's): a later read of the
    /// location reaches them through lrs (pick-dtrm) as pick again; barriers and releases after it order them.
    /// </summary>
    private void RecordStore(Val address, DepSet dataPick)
    {
        _memPick[address.Bits] = dataPick.Union(_addressPick);
        _writePicks = _writePicks.Union(dataPick);
        _locPicks[address.Bits] = LocPick(address).Union(dataPick);
    }

    /// <summary>
    /// The reads a write at <paramref name="address"/> is ordered after through pick dependencies: its own data's
    /// (pick-dep; [W]), an earlier pick-dependent access to the location (pick-lob with lws), and for a release
    /// every earlier pick-dependent access (pick-lob with po; [L]).
    /// </summary>
    private DepSet WriteControl(Val address, DepSet dataPick, bool release)
    {
        var control = dataPick.Union(LocPick(address));
        return release ? control.Union(_readPicks).Union(_writePicks) : control;
    }

    /// <summary>A read reached by a pick dependency through lrs (pick-dtrm): an acquire orders everything after it.</summary>
    private void AfterRead(Val address, DepSet readPick, bool acquire)
    {
        if (readPick.IsEmpty) return;
        _readPicks = _readPicks.Union(readPick);
        _locPicks[address.Bits] = LocPick(address).Union(readPick);
        if (acquire) _cpu.AddControlDependency(readPick);
    }

    private DepSet LocPick(Val address) => _locPicks.TryGetValue(address.Bits, out var p) ? p : DepSet.Empty;

    private DepSet MemPick(Val address) => _memPick.TryGetValue(address.Bits, out var p) ? p : DepSet.Empty;

    private DepSet GetPick(Reg r) => r.IsZero ? DepSet.Empty : _pick[r.Number];

    private DepSet PickOf(Operand o) => o.Register is { } reg ? GetPick(reg) : DepSet.Empty;

    /// <summary>A register's value with its pick dependencies as ordinary ones (for data a write stores).</summary>
    private Val WithPick(Reg r)
    {
        var v = Get(r);
        var pick = GetPick(r);
        return pick.IsEmpty ? v : new Val(v.Bits, v.Deps.Union(pick));
    }
}
