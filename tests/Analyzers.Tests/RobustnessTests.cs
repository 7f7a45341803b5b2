using CsCheck;
using Microsoft.CodeAnalysis;
using PtGuard.Analyzers.Tests.Verifiers;

namespace PtGuard.Analyzers.Tests;

/// <summary>
/// The analyzer never throws and never hangs: generated method bodies (loops, try/finally, gotos, lambdas, local
/// functions, recursion, and code cut short or with stray tokens) and this repository's own sources go through every
/// rule with zero analyzer exceptions and zero swallowed internal errors.
/// </summary>
public class RobustnessTests
{
    private static readonly string[] Steps =
    {
        "PmdClear(pmdp);", "PudClear(pudp);", "PmdClear(pmdp + 1);", "FlushTlbKernelPgtable(addr);", "FlushTlbKernelRange(addr, addr + PageSize);",
        "PteFreeKernel(table);", "PmdFree(ptable);", "table = PteOffsetKernel(pmdp, addr);", "ptable = PmdOffset(pudp, addr);",
        "pmdp = ptable;", "pmdp++;", "addr += PmdSize;", "MmapReadLock(InitMm);", "MmapReadUnlock(InitMm);", "MmapWriteLock(InitMm);",
        "MmapWriteUnlock(InitMm);", "MmapReadTrylock(InitMm);", "flag = MmapReadTrylock(InitMm);", "flag = StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey);",
        "StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);", "StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);", "StaticBranchEnable(ProtocolA.Arm64PtdumpLockKey);",
        "PtdumpWalkPgd(st, InitMm);", "PtdumpCheckWx();", "Helper(pmdp, addr, flag);", "Helper(pmdp, addr, false);", "Free(pmdp, pudp, addr, !flag, n - 1);",
        "return;", "throw new System.InvalidOperationException();", "goto done;", "n--;", "VmWarnOn(flag);",
        "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }",
    };

    private static readonly string[] Conditions =
    {
        "flag", "!flag", "n > 0", "StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)", "MmapReadTrylock(InitMm)", "PmdPresent(PmdpGet(pmdp))",
        "StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey) && flag", "!MmapReadTrylock(InitMm) || flag",
    };

    private static readonly string[] StrayTokens = { "{", "}", ")", "(", ";", "var", "=", "if", "else", "PmdClear(", "=>", "\"", "goto" };

    private static string Join(string[] statements) => string.Join(" ", statements);

    private static readonly Gen<string> Statement = Gen.Recursive<string>((depth, statement) =>
        depth >= 3
            ? Gen.OneOf<string>(Steps)
            : Gen.Frequency(
                (8, Gen.OneOf<string>(Steps)),
                (2, Gen.Select(Gen.OneOf<string>(Conditions), statement.Array[0, 3], statement.Array[0, 2], (c, a, b) => $"if ({c}) {{ {Join(a)} }} else {{ {Join(b)} }}")),
                (1, Gen.Select(Gen.OneOf<string>(Conditions), statement.Array[0, 3], (c, a) => $"while ({c}) {{ {Join(a)} }}")),
                (1, Gen.Select(Gen.OneOf<string>(Conditions), statement.Array[0, 3], (c, a) => $"do {{ {Join(a)} }} while ({c});")),
                (1, Gen.Select(statement.Array[0, 3], statement.Array[0, 2], (a, b) => $"try {{ {Join(a)} }} finally {{ {Join(b)} }}")),
                (1, Gen.Select(statement.Array[0, 3], a => $"try {{ {Join(a)} }} catch (System.Exception) {{ MmapReadUnlock(InitMm); }}")),
                (1, Gen.Select(statement.Array[0, 3], Gen.Int[0, 999], (a, i) => $"void Local{i}() {{ {Join(a)} }} Local{i}();")),
                (1, Gen.Select(statement.Array[0, 3], a => $"System.Action act = () => {{ {Join(a)} }}; act();"))));

    private static readonly Gen<string> Source = Gen.Select(Statement.Array[1, 8], Statement.Array[0, 4], Gen.Int[0, 5], Gen.Int[0, 100_000], Gen.OneOf<string>(StrayTokens),
        (body, helper, damage, position, token) =>
        {
            var text = $$"""
                using PtGuard.Runtime;
                using PtGuard.Runtime.Reference;
                using static PtGuard.Runtime.Kernel;

                public static class Generated
                {
                    public static void Free(PmdPtr pmdp, PudPtr pudp, ulong addr, bool flag, int n)
                    {
                        var table = PteOffsetKernel(pmdp, addr);
                        var ptable = PmdOffset(pudp, addr);
                        var st = PtdumpState.ForDump();
                        {{Join(body)}}
                    done:
                        PteFreeKernel(table);
                    }

                    private static void Helper(PmdPtr pmdp, ulong addr, bool flag)
                    {
                        var table = PteOffsetKernel(pmdp, addr);
                        {{Join(helper)}}
                    }
                }
                """;
            // A third of the sources are damaged: cut short, or with a stray token, as while typing.
            var at = position % text.Length;
            return damage switch
            {
                0 => text.Substring(0, at),
                1 => text.Insert(at, " " + token + " "),
                _ => text,
            };
        });

    [Fact]
    public void Generated_bodies_never_make_the_analyzer_throw()
    {
        var protocol = 0;
        Source.Sample(source =>
        {
            using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var result = AnalyzerRunner.RunAsync(AnalyzerRunner.Compile(source), protocol++ % 2 == 0 ? "a" : "b", hang.Token).GetAwaiter().GetResult();
            Assert.True(result.AnalyzerExceptions.Count == 0, string.Join("\n", result.AnalyzerExceptions) + "\n" + source);
            Assert.True(result.InternalErrors.Count == 0, string.Join("\n", result.InternalErrors) + "\n" + source);
        }, seed: "0N0XIzNsQ0O2", iter: 150, threads: 1);
    }

    [Theory]
    [InlineData("Runtime", false)]
    [InlineData("Analyzers", true)]
    [InlineData("Cli", true)]
    [InlineData("CodeFixes", true)]
    public async Task Repository_sources_never_make_the_analyzer_throw(string project, bool referenceRuntime)
    {
        var folder = Path.Combine(ReferenceImplementationTests.RepositoryRoot(), "src", project);
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, File.ReadAllText(f)))
                .ToList()
            : new List<(string, string)>();
        // The projects compile with implicit usings; give the compilation the same global usings.
        files.Add(("/implicit/GlobalUsings.cs", "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;"));
        var compilation = AnalyzerRunner.Compile(files, referenceRuntime, project);
        foreach (var protocol in new[] { "a", "b" })
        {
            var result = await AnalyzerRunner.RunAsync(compilation, protocol);
            Assert.Empty(result.AnalyzerExceptions);
            Assert.Empty(result.InternalErrors);
            if (project == "Runtime" && protocol == "a")
            {
                // The runtime defines the annotations itself: the rules must see them there and convict KnownBad.
                Assert.Contains(result.Diagnostics, d => d.Id == DiagnosticIds.StepsOutOfOrder && d.Location.SourceTree!.FilePath.EndsWith("KnownBad.cs", StringComparison.Ordinal));
            }
        }
    }
}
