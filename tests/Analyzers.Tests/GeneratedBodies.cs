using CsCheck;

namespace PtGuard.Analyzers.Tests;

/// <summary>
/// Generated method bodies for the robustness tests: freeing, locking, key and walk steps of PtGuard.Runtime mixed
/// into branches, loops (with break and continue), switch, try/catch/finally, using and lock blocks, goto, lambdas,
/// local functions and recursion; a third of the sources are damaged (cut short, or with a stray token) as while
/// typing. Shared by the analyzer tests and the code-fix fuzzing (<c>tests/CodeFixes.Tests/FuzzTests.cs</c> links
/// this file), so both judge the same corpus.
/// </summary>
public static class GeneratedBodies
{
    private static readonly string[] Steps =
    {
        "PmdClear(pmdp);", "PudClear(pudp);", "PmdClear(pmdp + 1);", "FlushTlbKernelPgtable(addr);", "FlushTlbKernelRange(addr, addr + PageSize);",
        "PteFreeKernel(table);", "PmdFree(ptable);", "table = PteOffsetKernel(pmdp, addr);", "ptable = PmdOffset(pudp, addr);",
        "pmdp = ptable;", "pmdp++;", "addr += PmdSize;", "MmapReadLock(InitMm);", "MmapReadUnlock(InitMm);", "MmapWriteLock(InitMm);",
        "MmapWriteUnlock(InitMm);", "MmapReadTrylock(InitMm);", "flag = MmapReadTrylock(InitMm);", "flag = StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey);",
        "StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);", "StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);", "StaticBranchEnable(ProtocolA.Arm64PtdumpLockKey);",
        "PtdumpWalkPgd(st, InitMm);", "PtdumpCheckWx();", "Helper(pmdp, pudp, addr, flag, n);", "Helper(pmdp, pudp, addr, false, n);", "Free(pmdp, pudp, addr, !flag, n - 1);",
        "return;", "throw new System.InvalidOperationException();", "goto done;", "n--;", "VmWarnOn(flag);",
        "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }",
        "ProtocolA.PmdFreePteTable(pmdp, addr, flag);", "ProtocolA.Arm64PtdumpWalkPgd(st, InitMm);", "n = Count(pmdp);",
    };

    /// <summary>Statements that are only valid inside a loop.</summary>
    private static readonly string[] LoopOnly = { "break;", "continue;", "if (n > 2) break;", "if (!flag) continue;" };

    private static readonly string[] Conditions =
    {
        "flag", "!flag", "n > 0", "StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)", "MmapReadTrylock(InitMm)", "PmdPresent(PmdpGet(pmdp))",
        "StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey) && flag", "!MmapReadTrylock(InitMm) || flag",
    };

    private static readonly string[] StrayTokens = { "{", "}", ")", "(", ";", "var", "=", "if", "else", "PmdClear(", "=>", "\"", "goto", "case", "catch", "finally" };

    private static string Join(string[] statements) => string.Join(" ", statements);

    private static readonly Gen<string> LoopBody = Gen.Frequency((6, Gen.OneOf<string>(Steps)), (1, Gen.OneOf<string>(LoopOnly))).Array[0, 4].Select(Join);

    /// <summary>A body that runs as its own function (lambda, local function): it cannot jump to the caller's label.</summary>
    private static string OwnBody(string[] statements) => Join(statements).Replace("goto done;", "return;");

    /// <summary>A finally clause: control cannot leave it (CS0157).</summary>
    private static string FinallyBody(string[] statements) => Join(statements).Replace("goto done;", "n++;").Replace("return;", "n++;");

    private static readonly Gen<string> Statement = Gen.Recursive<string>((depth, statement) =>
        depth >= 3
            ? Gen.OneOf<string>(Steps)
            : Gen.Frequency(
                (8, Gen.OneOf<string>(Steps)),
                (2, Gen.Select(Gen.OneOf<string>(Conditions), statement.Array[0, 3], statement.Array[0, 2], (c, a, b) => $"if ({c}) {{ {Join(a)} }} else {{ {Join(b)} }}")),
                (1, Gen.Select(Gen.OneOf<string>(Conditions), statement.Array[0, 3], LoopBody, (c, a, l) => $"while ({c}) {{ {Join(a)} {l} }}")),
                (1, Gen.Select(Gen.OneOf<string>(Conditions), statement.Array[0, 3], (c, a) => $"do {{ {Join(a)} }} while ({c});")),
                (1, Gen.Select(statement.Array[0, 3], LoopBody, Gen.Int[0, 999], (a, l, i) => $"for (var i{i} = 0; i{i} < n; i{i}++) {{ {Join(a)} {l} pmdp++; }}")),
                (1, Gen.Select(statement.Array[0, 2], LoopBody, Gen.Int[0, 999], (a, l, i) => $"foreach (var k{i} in new[] {{ 1, 2, 3 }}) {{ {Join(a)} {l} }}")),
                (1, Gen.Select(statement.Array[0, 2], statement.Array[0, 2], (a, b) => $"switch (n) {{ case 0: {Join(a)} break; case 1: n++; break; default: {Join(b)} break; }}")),
                (1, Gen.Select(statement.Array[0, 3], statement.Array[0, 2], (a, b) => $"try {{ {Join(a)} }} finally {{ {FinallyBody(b)} }}")),
                (1, Gen.Select(statement.Array[0, 3], a => $"try {{ {Join(a)} }} catch (System.Exception) {{ MmapReadUnlock(InitMm); }}")),
                (1, Gen.Select(statement.Array[0, 3], statement.Array[0, 2], (a, b) => $"try {{ {Join(a)} }} catch (System.InvalidOperationException) when (flag) {{ {Join(b)} }} finally {{ n++; }}")),
                (1, Gen.Select(statement.Array[0, 2], Gen.Int[0, 999], (a, i) => $"using (var stream{i} = new System.IO.MemoryStream()) {{ {Join(a)} }}")),
                (1, Gen.Select(statement.Array[0, 2], a => $"lock (Gate) {{ {Join(a)} }}")),
                (1, Gen.Select(statement.Array[0, 3], Gen.Int[0, 999], (a, i) => $"void Local{i}() {{ {OwnBody(a)} }} Local{i}();")),
                (1, Gen.Select(statement.Array[0, 3], Gen.Int[0, 999], (a, i) =>
                    $"static void Static{i}(PmdPtr pmdp, PudPtr pudp, ulong addr, bool flag, int n) {{ var table = PteOffsetKernel(pmdp, addr); var ptable = PmdOffset(pudp, addr); var st = PtdumpState.ForDump(); {OwnBody(a)} }} Static{i}(pmdp, pudp, addr, flag, n);")),
                (1, Gen.Select(statement.Array[0, 3], Gen.Int[0, 999], (a, i) => $"System.Action act{i} = () => {{ {OwnBody(a)} }}; act{i}();")),
                (1, Gen.Select(statement.Array[0, 2], Gen.Int[0, 999], (a, i) => $"System.Func<bool, int> f{i} = b => {{ System.Action g = () => {{ {OwnBody(a)} }}; if (b) g(); return n; }}; n = f{i}(flag);"))));

    /// <summary>A whole compilation unit around generated bodies (damaged a third of the time).</summary>
    public static readonly Gen<string> Source = Gen.Select(Statement.Array[1, 8], Statement.Array[0, 4], Gen.Int[0, 5], Gen.Int[0, 100_000], Gen.OneOf<string>(StrayTokens),
        (body, helper, damage, position, token) =>
        {
            var text = $$"""
                using PtGuard.Runtime;
                using PtGuard.Runtime.Reference;
                using static PtGuard.Runtime.Kernel;

                public static class Generated
                {
                    private static readonly object Gate = new();

                    public static void Free(PmdPtr pmdp, PudPtr pudp, ulong addr, bool flag, int n)
                    {
                        var table = PteOffsetKernel(pmdp, addr);
                        var ptable = PmdOffset(pudp, addr);
                        var st = PtdumpState.ForDump();
                        {{Join(body)}}
                    done:
                        PteFreeKernel(table);
                    }

                    private static void Helper(PmdPtr pmdp, PudPtr pudp, ulong addr, bool flag, int n)
                    {
                        var table = PteOffsetKernel(pmdp, addr);
                        var ptable = PmdOffset(pudp, addr);
                        var st = PtdumpState.ForDump();
                        {{Join(helper)}}
                    done:
                        VmWarnOn(flag);
                    }

                    private static int Count(PmdPtr pmdp) => PmdPresent(PmdpGet(pmdp)) ? 1 : 0;
                }
                """;
            var at = position % text.Length;
            return damage switch
            {
                0 => text.Substring(0, at),
                1 => text.Insert(at, " " + token + " "),
                _ => text,
            };
        });

    /// <summary>The first <paramref name="count"/> sources of the PCG stream <paramref name="seed"/>: the same list on every run and machine.</summary>
    public static IReadOnlyList<string> Take(ulong seed, int count)
    {
        var pcg = new PCG(1, seed);
        var list = new List<string>(count);
        for (var i = 0; i < count; i++) list.Add(Source.Generate(pcg, null!, out _));
        return list;
    }
}
