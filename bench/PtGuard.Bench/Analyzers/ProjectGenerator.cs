using System.Globalization;
using System.Text;

namespace PtGuard.Bench.Analyzers;

/// <summary>
/// Writes the generated project the analyzer build metrics compile (issue 7): ordinary C# (arithmetic, strings,
/// collections, LINQ, exceptions, async code for the threading analyzers) in <c>Ordinary/</c>, and about 2% of the
/// methods in <c>PageTables/</c> that free or walk page tables against PtGuard.Runtime the way the reference code
/// does (correct Protocol A freeing paths with helpers and the isolated-child loop, bracketed walkers, readers of
/// entries, a vmap-style caller). <c>Ordinary/</c> never mentions <c>PageTables/</c>, so the project also compiles
/// without the runtime (<c>-p:PtGuardRuntime=false</c> drops the reference and the folder): that is the inert build.
/// </summary>
internal static class ProjectGenerator
{
    /// <summary>The project file's name inside the generated folder.</summary>
    public const string ProjectFile = "Generated.csproj";

    private const int MethodsPerFile = 25;

    /// <summary>Share of the methods that free or walk page tables.</summary>
    private const double PageTableShare = 0.02;

    public sealed record Shape(int Lines, int Files, int Methods, int PageTableMethods, int AsyncMethods);

    /// <summary>Writes a project of at least <paramref name="lines"/> lines into <paramref name="dir"/> (emptied first).</summary>
    public static Shape Write(string dir, int lines, string runtimeDll, string analyzersDll, string vsThreadingVersion, int seed = 7)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(Path.Combine(dir, "Ordinary"));
        Directory.CreateDirectory(Path.Combine(dir, "PageTables"));
        WriteProjectFiles(dir, runtimeDll, analyzersDll, vsThreadingVersion);

        var random = new Random(seed);
        int total = 0, files = 0, methods = 0, pageTableMethods = 0, asyncMethods = 0;
        var ordinaryFile = 0;
        var pageTableFile = 0;
        var pending = new List<string>();
        var pendingPageTables = new List<string>();
        void Flush(bool pageTables)
        {
            var list = pageTables ? pendingPageTables : pending;
            if (list.Count == 0) return;
            var text = pageTables ? PageTableClass(pageTableFile, list) : OrdinaryClass(ordinaryFile, list);
            var path = pageTables
                ? Path.Combine(dir, "PageTables", $"PageTables{pageTableFile++:D3}.cs")
                : Path.Combine(dir, "Ordinary", $"Module{ordinaryFile++:D4}.cs");
            File.WriteAllText(path, text);
            total += CountLines(text);
            files++;
            list.Clear();
        }

        while (total + pending.Sum(CountLines) + pendingPageTables.Sum(CountLines) < lines)
        {
            methods++;
            // Page-table methods at the target share, spread evenly over the project.
            if (pageTableMethods < methods * PageTableShare)
            {
                pendingPageTables.Add(PageTableMethod(pageTableMethods, pageTableFile));
                pageTableMethods++;
                if (pendingPageTables.Count == PageTableKinds) Flush(pageTables: true);
            }
            else
            {
                var (text, isAsync) = OrdinaryMethod(random, methods);
                if (isAsync) asyncMethods++;
                pending.Add(text);
                if (pending.Count == MethodsPerFile) Flush(pageTables: false);
            }
        }
        Flush(pageTables: false);
        Flush(pageTables: true);
        var keys = """
            using PtGuard.Runtime;

            namespace Generated.PageTables;

            /// <summary>The walkers' static key (<c>arm64_ptdump_lock_key</c>).</summary>
            public static class Keys
            {
                [WalkerKey]
                public static readonly StaticKey PtdumpLockKey = new("generated_ptdump_lock_key");
            }

            """;
        File.WriteAllText(Path.Combine(dir, "PageTables", "Keys.cs"), keys);
        total += CountLines(keys);
        return new Shape(total, files + 1, methods, pageTableMethods, asyncMethods);
    }

    private static int CountLines(string text) => text.Count(c => c == '\n');

    private static void WriteProjectFiles(string dir, string runtimeDll, string analyzersDll, string vsThreadingVersion)
    {
        // The repository's Directory.Build.props / Directory.Packages.props / nuget.config must not apply here: this
        // project stands for a user's, with its own settings, built against the built runtime and analyzers.
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(dir, "nuget.config"), """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <remove key="ptguard-local" />
              </packageSources>
            </configuration>

            """);
        File.WriteAllText(Path.Combine(dir, ProjectFile), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- Generated by bench/PtGuard.Bench (analyzer metrics). Switches:
                   -p:PtGuardAnalyzers=false  no PtGuard analyzers (the baseline build)
                   -p:PtGuardRuntime=false    no PtGuard.Runtime reference and no PageTables/ (the inert build) -->
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <OutputType>Library</OutputType>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RootNamespace>Generated</RootNamespace>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
                <PtGuardAnalyzers Condition="'$(PtGuardAnalyzers)' == ''">true</PtGuardAnalyzers>
                <PtGuardRuntime Condition="'$(PtGuardRuntime)' == ''">true</PtGuardRuntime>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.VisualStudio.Threading.Analyzers" Version="{{vsThreadingVersion}}" PrivateAssets="all" />
              </ItemGroup>
              <ItemGroup Condition="'$(PtGuardRuntime)' == 'true'">
                <Reference Include="PtGuard.Runtime" HintPath="{{runtimeDll}}" />
              </ItemGroup>
              <ItemGroup Condition="'$(PtGuardRuntime)' != 'true'">
                <Compile Remove="PageTables/**" />
              </ItemGroup>
              <ItemGroup Condition="'$(PtGuardAnalyzers)' == 'true'">
                <Analyzer Include="{{analyzersDll}}" />
              </ItemGroup>
            </Project>

            """);
    }

    private static string OrdinaryClass(int index, List<string> methods)
    {
        var sb = new StringBuilder();
        sb.Append($$"""
            using System.Collections.Concurrent;
            using System.Text;

            namespace Generated.Ordinary;

            /// <summary>Generated ordinary code, module {{index}}.</summary>
            public sealed class Module{{index:D4}}
            {
                private readonly Dictionary<string, int> _counts = new();
                private readonly ConcurrentQueue<string> _log = new();
                private int _state = {{index % 17}};

                public int State => _state;

            """);
        foreach (var m in methods) sb.Append(m);
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Name(int n) => "M" + n.ToString(CultureInfo.InvariantCulture);

    /// <summary>One ordinary method of about 12 to 30 lines; one in seven is async.</summary>
    private static (string Text, bool Async) OrdinaryMethod(Random r, int n)
    {
        var k1 = r.Next(2, 97);
        var k2 = r.Next(3, 31);
        switch (r.Next(7))
        {
            case 0:
                return ($$"""
                        public int {{Name(n)}}(int[] values, int limit)
                        {
                            var sum = 0;
                            for (var i = 0; i < values.Length; i++)
                            {
                                if (values[i] > limit)
                                {
                                    sum += values[i] * {{k1}};
                                }
                                else if (values[i] % {{k2}} == 0)
                                {
                                    sum -= values[i];
                                }
                                else
                                {
                                    sum ^= i;
                                }
                            }
                            _state += sum & 0xff;
                            return sum;
                        }

                    """, false);
            case 1:
                return ($$"""
                        public string {{Name(n)}}(IReadOnlyList<string> words)
                        {
                            var sb = new StringBuilder();
                            foreach (var word in words)
                            {
                                switch (word.Length % 4)
                                {
                                    case 0: sb.Append(word.ToUpperInvariant()); break;
                                    case 1: sb.Append(word.Trim()); break;
                                    case 2: sb.Append(word, 0, Math.Min(word.Length, {{k2}})); break;
                                    default: sb.Append('-'); break;
                                }
                                _counts[word] = _counts.TryGetValue(word, out var c) ? c + 1 : 1;
                            }
                            _log.Enqueue("{{Name(n)}}");
                            return sb.ToString();
                        }

                    """, false);
            case 2:
                return ($$"""
                        public IReadOnlyList<int> {{Name(n)}}(IEnumerable<int> source)
                        {
                            var groups = source
                                .Where(x => x % {{k2}} != 0)
                                .GroupBy(x => x % {{k1}})
                                .Select(g => g.Sum())
                                .OrderBy(x => x)
                                .ToList();
                            if (groups.Count == 0)
                            {
                                return Array.Empty<int>();
                            }
                            int Scale(int x) => x * {{k1}} + _state;
                            return groups.Select(Scale).ToArray();
                        }

                    """, false);
            case 3:
                return ($$"""
                        public int {{Name(n)}}(string text)
                        {
                            try
                            {
                                var value = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
                                if (value < 0)
                                {
                                    throw new ArgumentOutOfRangeException(nameof(text));
                                }
                                return value / {{k2}};
                            }
                            catch (FormatException)
                            {
                                _log.Enqueue(text);
                                return -1;
                            }
                            finally
                            {
                                _state++;
                            }
                        }

                    """, false);
            case 4:
                return ($$"""
                        public async Task<int> {{Name(n)}}Async(IEnumerable<int> ids, CancellationToken cancellationToken)
                        {
                            var total = 0;
                            foreach (var id in ids)
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                                var value = await Task.Run(() => id * {{k1}}, cancellationToken).ConfigureAwait(false);
                                if (value % {{k2}} == 0)
                                {
                                    await Task.Yield();
                                }
                                total += value;
                            }
                            _log.Enqueue("{{Name(n)}}");
                            return total;
                        }

                    """, true);
            case 5:
                return ($$"""
                        public (int Min, int Max) {{Name(n)}}(ReadOnlySpan<int> span)
                        {
                            if (span.IsEmpty) return (0, 0);
                            int min = span[0], max = span[0];
                            var i = 1;
                            while (i < span.Length)
                            {
                                var v = span[i++];
                                if (v < min) min = v;
                                if (v > max) max = v;
                                if (max - min > {{k1 * 100}}) goto done;
                            }
                        done:
                            _state = (_state * {{k2}} + min) % 1000;
                            return (min, max);
                        }

                    """, false);
            default:
                return ($$"""
                        public async Task {{Name(n)}}Async(Func<int, Task<string>> fetch, int count)
                        {
                            var tasks = new List<Task<string>>();
                            for (var i = 0; i < count; i++)
                            {
                                tasks.Add(fetch(i * {{k1}}));
                            }
                            var results = await Task.WhenAll(tasks);
                            using var cts = new CancellationTokenSource();
                            foreach (var result in results)
                            {
                                if (result.Length > {{k2}}) _log.Enqueue(result);
                            }
                            _state += results.Length;
                        }

                    """, true);
        }
    }

    private static string PageTableClass(int index, List<string> methods)
    {
        var sb = new StringBuilder();
        sb.Append($$"""
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;

            namespace Generated.PageTables;

            /// <summary>Generated page-table code, group {{index}}: freeing paths, walkers and readers.</summary>
            public static class PageTables{{index:D3}}
            {

            """);
        foreach (var m in methods) sb.Append(m);
        sb.Append("}\n");
        return sb.ToString();
    }

    private const int PageTableKinds = 6;

    /// <summary>The <paramref name="n"/>th page-table method; each file holds one of each kind, which call each other.</summary>
    private static string PageTableMethod(int n, int file) => (n % PageTableKinds) switch
    {
        0 => $$"""
                public static int PmdFreePteTable(PmdPtr pmdp, ulong addr, bool acquireMmapLock)
                {
                    var pmd = PmdpGet(pmdp);
                    if (!PmdTable(pmd))
                    {
                        VmWarnOn(true);
                        return 1;
                    }
                    var table = PteOffsetKernel(pmdp, addr);
                    PmdClear(pmdp);
                    FlushTlbKernelPgtable(addr);
                    if (StaticBranchUnlikely(Keys.PtdumpLockKey) && acquireMmapLock)
                    {
                        MmapReadLock(InitMm);
                        MmapReadUnlock(InitMm);
                    }
                    PteFreeKernel(table);
                    return 1;
                }

            """,
        1 => $$"""
                public static int PudFreePmdTable(PudPtr pudp, ulong addr)
                {
                    var pud = PudpGet(pudp);
                    if (!PudTable(pud))
                    {
                        VmWarnOn(true);
                        return 1;
                    }
                    var table = PmdOffset(pudp, addr);
                    PudClear(pudp);
                    FlushTlbKernelPgtable(addr);
                    if (StaticBranchUnlikely(Keys.PtdumpLockKey))
                    {
                        MmapReadLock(InitMm);
                        MmapReadUnlock(InitMm);
                    }
                    var pmdp = table;
                    var next = addr;
                    var end = addr + PudSize;
                    do
                    {
                        if (PmdPresent(PmdpGet(pmdp)))
                        {
                            PmdFreePteTable(pmdp, next, acquireMmapLock: false);
                        }
                        pmdp++;
                        next += PmdSize;
                    }
                    while (next != end);
                    PmdFree(table);
                    return 1;
                }

            """,
        2 => $$"""
                public static void Dump(PtdumpState st)
                {
                    StaticBranchInc(Keys.PtdumpLockKey);
                    try
                    {
                        PtdumpWalkPgd(st, InitMm);
                    }
                    finally
                    {
                        StaticBranchDec(Keys.PtdumpLockKey);
                    }
                }

            """,
        3 => $$"""
                public static int CountPresent(PmdPtr first, int entries)
                {
                    var present = 0;
                    for (var i = 0; i < entries; i++)
                    {
                        var pmd = PmdpGet(first + i);
                        if (PmdPresent(pmd) && PmdTable(pmd))
                        {
                            present++;
                        }
                    }
                    return present;
                }

            """,
        4 => $$"""
                public static int VmapTryHugePmd(PmdPtr pmdp, ulong addr, ulong end, ulong physAddr, PgProt prot)
                {
                    if (end - addr != PmdSize || (addr & (PmdSize - 1)) != 0 || (physAddr & (PmdSize - 1)) != 0)
                    {
                        return 0;
                    }
                    if (PmdPresent(PmdpGet(pmdp)) && PmdFreePteTable(pmdp, addr, acquireMmapLock: true) == 0)
                    {
                        return 0;
                    }
                    return PmdSetHuge(pmdp, physAddr, prot);
                }

            """,
        _ => $$"""
                public static bool CheckWx()
                {
                    var st = PtdumpState.ForWxCheck();
                    StaticBranchInc(Keys.PtdumpLockKey);
                    PtdumpWalkPgd(st, InitMm);
                    StaticBranchDec(Keys.PtdumpLockKey);
                    return st.ReportWx();
                }

            """,
    };
}
