namespace PtGuard.Runtime.Memory;

/// <summary>
/// An execution graph: each thread's events in program order, where each read reads from (rf), the
/// coherence order of writes per location (co), and the order in which events were added (stamps, which
/// the exploration's revisit rule needs). Events are shared between copies; the relations are copied.
/// </summary>
internal sealed class ExecutionGraph
{
    public const int Init = -1;
    public const int PromiseSource = -2;
    private const int Stride = 1 << 16;

    private readonly Event[][] _events;
    private readonly int[] _length;
    private readonly int[][] _rf;
    private readonly int[][] _stamp;
    private readonly ulong[][] _promised;
    private readonly Dictionary<ulong, List<int>> _co;
    private readonly ThreadStatus[] _status;
    private readonly IReadOnlyDictionary<string, ulong>?[] _reports;

    public ExecutionGraph(int threads, InitialMemory memory)
    {
        Memory = memory;
        _events = new Event[threads][];
        _length = new int[threads];
        _rf = new int[threads][];
        _stamp = new int[threads][];
        _promised = new ulong[threads][];
        _status = new ThreadStatus[threads];
        _reports = new IReadOnlyDictionary<string, ulong>?[threads];
        for (var t = 0; t < threads; t++)
        {
            _events[t] = new Event[16];
            _rf[t] = new int[16];
            _stamp[t] = new int[16];
            _promised[t] = new ulong[16];
        }
        _co = new Dictionary<ulong, List<int>>();
    }

    private ExecutionGraph(ExecutionGraph g)
    {
        Memory = g.Memory;
        var n = g._events.Length;
        _events = new Event[n][];
        _length = (int[])g._length.Clone();
        _rf = new int[n][];
        _stamp = new int[n][];
        _promised = new ulong[n][];
        _status = (ThreadStatus[])g._status.Clone();
        _reports = (IReadOnlyDictionary<string, ulong>?[])g._reports.Clone();
        for (var t = 0; t < n; t++)
        {
            _events[t] = (Event[])g._events[t].Clone();
            _rf[t] = (int[])g._rf[t].Clone();
            _stamp[t] = (int[])g._stamp[t].Clone();
            _promised[t] = (ulong[])g._promised[t].Clone();
        }
        _co = new Dictionary<ulong, List<int>>(g._co.Count);
        foreach (var (addr, list) in g._co) _co[addr] = new List<int>(list);
        NextStamp = g.NextStamp;
        PendingViolation = g.PendingViolation;
    }

    public InitialMemory Memory { get; }

    /// <summary>A violation seen while reads still held unmatched promises: real only if they can be matched.</summary>
    public Violation? PendingViolation { get; set; }
    public int ThreadCount => _events.Length;
    public int NextStamp { get; private set; }
    public int TotalEvents { get { var s = 0; foreach (var l in _length) s += l; return s; } }

    public ExecutionGraph Clone() => new(this);

    public static int Id(int thread, int index) => thread * Stride + index;
    public static int ThreadOf(int id) => id / Stride;
    public static int IndexOf(int id) => id % Stride;

    public int Length(int thread) => _length[thread];
    public Event this[int thread, int index] => _events[thread][index];
    public Event Get(int id) => _events[ThreadOf(id)][IndexOf(id)];
    public int Stamp(int id) => _stamp[ThreadOf(id)][IndexOf(id)];
    public int StampOf(int thread, int index) => _stamp[thread][index];

    public ThreadStatus Status(int thread) => _status[thread];
    public void SetStatus(int thread, ThreadStatus status)
    {
        _status[thread] = status;
        if (status == ThreadStatus.Running) _reports[thread] = null;
    }

    /// <summary>What a finished thread reported (its final registers, for litmus tests).</summary>
    public IReadOnlyDictionary<string, ulong>? Reports(int thread) => _reports[thread];

    public void SetReports(int thread, IReadOnlyDictionary<string, ulong> reports) => _reports[thread] = reports;

    /// <summary>The events of one thread, in program order, as a list view.</summary>
    public IReadOnlyList<Event> ThreadEvents(int thread) => new ThreadView(this, thread);

    private sealed class ThreadView(ExecutionGraph g, int thread) : IReadOnlyList<Event>
    {
        public Event this[int index] => g._events[thread][index];
        public int Count => g._length[thread];
        public IEnumerator<Event> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Where the read <paramref name="thread"/>:<paramref name="index"/> reads from: an event id, <see cref="Init"/> or <see cref="PromiseSource"/>.</summary>
    public int RfOf(int thread, int index) => _rf[thread][index];

    /// <summary>The value a read returns in this graph.</summary>
    public ulong ReadValue(int thread, int index)
    {
        var src = _rf[thread][index];
        return src switch
        {
            Init => Memory.Read(_events[thread][index].Address),
            PromiseSource => _promised[thread][index],
            _ => Get(src).Value,
        };
    }

    public ulong PromisedValue(int thread, int index) => _promised[thread][index];

    /// <summary>Writes to <paramref name="address"/> in coherence order, the initial write excluded.</summary>
    public IReadOnlyList<int> Co(ulong address) => _co.TryGetValue(address, out var l) ? l : Array.Empty<int>();

    public IEnumerable<ulong> Locations => _co.Keys;

    /// <summary>Position of a write in the coherence order of its location (the initial write is -1).</summary>
    public int CoIndex(int writeId) => writeId == Init ? -1 : _co[Get(writeId).Address].IndexOf(writeId);

    public int Append(Event e)
    {
        var t = e.Thread;
        var i = _length[t];
        if (i == _events[t].Length)
        {
            Array.Resize(ref _events[t], i * 2);
            Array.Resize(ref _rf[t], i * 2);
            Array.Resize(ref _stamp[t], i * 2);
            Array.Resize(ref _promised[t], i * 2);
        }
        _events[t][i] = e;
        _rf[t][i] = Init;
        _stamp[t][i] = NextStamp++;
        _length[t] = i + 1;
        return Id(t, i);
    }

    public void SetRf(int thread, int index, int source, ulong promisedValue = 0)
    {
        _rf[thread][index] = source;
        _promised[thread][index] = promisedValue;
    }

    /// <summary>Places a write in the coherence order of its location at <paramref name="position"/> (0 = just after the initial write).</summary>
    public void InsertCo(int writeId, int position)
    {
        var addr = Get(writeId).Address;
        if (!_co.TryGetValue(addr, out var list)) _co[addr] = list = new List<int>();
        list.Insert(position, writeId);
    }

    public void RemoveCo(int writeId) => _co[Get(writeId).Address].Remove(writeId);

    /// <summary>Keeps only the events in <paramref name="keep"/> (a program-order prefix of each thread).</summary>
    public void Restrict(Func<int, int, bool> keep)
    {
        for (var t = 0; t < _events.Length; t++)
        {
            var n = 0;
            while (n < _length[t] && keep(t, n)) n++;
            if (n != _length[t])
            {
                for (var i = n; i < _length[t]; i++) _events[t][i] = null!;
                _length[t] = n;
                SetStatus(t, ThreadStatus.Running);
            }
        }
        foreach (var list in _co.Values)
        {
            list.RemoveAll(id => IndexOf(id) >= _length[ThreadOf(id)]);
        }
    }

    /// <summary>All reads of <paramref name="address"/> currently in the graph.</summary>
    public IEnumerable<int> ReadsOf(ulong address)
    {
        for (var t = 0; t < _events.Length; t++)
        {
            for (var i = 0; i < _length[t]; i++)
            {
                var e = _events[t][i];
                if (e.IsRead && e.Address == address) yield return Id(t, i);
            }
        }
    }

    /// <summary>The final value of a location: its coherence-last write, or its initial value.</summary>
    public ulong FinalValue(ulong address)
    {
        var co = Co(address);
        return co.Count == 0 ? Memory.Read(address) : Get(co[^1]).Value;
    }

    /// <summary>A canonical description of rf and co, used to count distinct executions.</summary>
    public string Signature()
    {
        var sb = new System.Text.StringBuilder();
        for (var t = 0; t < _events.Length; t++)
        {
            sb.Append('|');
            for (var i = 0; i < _length[t]; i++)
            {
                var e = _events[t][i];
                if (!e.IsRead) continue;
                var src = _rf[t][i];
                sb.Append(src == PromiseSource ? "p" + _promised[t][i] : src.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            }
        }
        foreach (var addr in _co.Keys.OrderBy(a => a))
        {
            sb.Append('#').Append(addr).Append(':').AppendJoin(',', _co[addr]);
        }
        return sb.ToString();
    }
}

/// <summary>Where a thread stands in a graph.</summary>
internal enum ThreadStatus : byte
{
    Running,
    Finished,
    Blocked,

    /// <summary>Stopped by a violation that waits for its graph's promises to be matched.</summary>
    Failed,
}
