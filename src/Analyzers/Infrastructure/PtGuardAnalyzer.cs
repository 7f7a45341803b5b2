using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;

namespace PtGuard.Analyzers;

/// <summary>
/// The shape every PtGuard rule shares: nothing is registered unless the compilation sees PtGuard.Runtime's
/// annotations; each operation block is analysed once by the shared flow engine, and the rule reports its facts.
/// A build loads the rules through <see cref="PtGuardRulesAnalyzer"/>, which runs all fourteen from one set of
/// callbacks; each rule is still a <see cref="DiagnosticAnalyzer"/> of its own for hosts and tests that want one.
/// </summary>
public abstract class PtGuardAnalyzer : DiagnosticAnalyzer
{
    private protected PtGuardAnalyzer()
    {
    }

    /// <summary>The rule's descriptor.</summary>
    private protected abstract DiagnosticDescriptor Rule { get; }

    /// <inheritdoc/>
    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <summary>The rule's descriptor, for the combined analyzer.</summary>
    internal DiagnosticDescriptor RuleDescriptor => Rule;

    /// <inheritdoc/>
    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        Register(context, ImmutableArray.Create(this));
    }

    /// <summary>
    /// Registers <paramref name="rules"/> on one compilation start and one operation-block action: the driver's cost
    /// is per analyzer and per callback, so fourteen analyzers with a callback each on every method of a project cost
    /// fourteen times what one does, although all but the first only read the shared analysis.
    /// </summary>
    internal static void Register(AnalysisContext context, ImmutableArray<PtGuardAnalyzer> rules)
    {
        context.RegisterCompilationStartAction(start =>
        {
            if (SharedCompilationState.For(start.Compilation) is not { } shared) return;
            // The graph is built lazily per block (GetControlFlowGraph, shared by all rules through the driver), and
            // the flow analysis runs once per block for all fourteen rules (SharedCompilationState).
            start.RegisterOperationBlockAction(block =>
            {
                if (block.OwningSymbol is not (IMethodSymbol or IFieldSymbol or IPropertySymbol) || !shared.Mentions(block)) return;
                var protocol = ProtocolOptions.Read(block.Options.AnalyzerConfigOptionsProvider, block.OperationBlocks[0].Syntax.SyntaxTree);
                var report = shared.ReportFor(block, protocol);
                if (report.Facts.Count == 0) return;
                foreach (var rule in rules)
                {
                    try
                    {
                        rule.Report(report, new RuleReporter(block, rule.Rule, report));
                    }
                    catch (System.Exception e) when (e is not System.OperationCanceledException)
                    {
                        // A rule must not take the build down; the failure is visible to tests through the observer.
                        RootAnalysis.InternalErrorObserver?.Invoke(e);
                    }
                }
            });
        });
    }

    /// <summary>Turns the facts this rule owns into diagnostics.</summary>
    private protected abstract void Report(MethodReport report, RuleReporter reporter);
}

/// <summary>Reports one rule's diagnostics with the properties a code fix needs.</summary>
internal readonly struct RuleReporter
{
    private readonly OperationBlockAnalysisContext _context;
    private readonly DiagnosticDescriptor _rule;
    private readonly MethodReport _report;

    public RuleReporter(OperationBlockAnalysisContext context, DiagnosticDescriptor rule, MethodReport report)
    {
        _context = context;
        _rule = rule;
        _report = report;
    }

    public void Report(Fact fact, ImmutableDictionary<string, string?> properties, params object?[] args) =>
        Report(fact.ReportAt, fact, properties, args);

    public void Report(IOperation at, Fact fact, ImmutableDictionary<string, string?> properties, params object?[] args)
    {
        var location = at.Syntax.GetLocation();
        if (location.SourceTree != _context.OperationBlocks[0].Syntax.SyntaxTree) return;
        _context.ReportDiagnostic(Diagnostic.Create(_rule, location, properties, args));
    }

    /// <summary>Properties common to every diagnostic: protocol, walker key, the helper called, and the given step.</summary>
    public ImmutableDictionary<string, string?>.Builder Properties(Fact fact, string? step, string? problem)
    {
        var b = ImmutableDictionary.CreateBuilder<string, string?>();
        b[DiagnosticPropertyKeys.Protocol] = _report.Protocol == Protocol.A ? "a" : "b";
        if (_report.WalkerKey is { } key)
        {
            b[DiagnosticPropertyKeys.WalkerKeyType] = key.Type;
            b[DiagnosticPropertyKeys.WalkerKeyMember] = key.Member;
        }
        if (fact.ViaCall is { } via) b[DiagnosticPropertyKeys.ViaCall] = via;
        if (step is not null) b[DiagnosticPropertyKeys.Step] = step;
        if (problem is not null) b[DiagnosticPropertyKeys.Problem] = problem;
        return b;
    }

    /// <summary>Adds <paramref name="key"/> = the position of <paramref name="site"/> when it is in the reported body itself.</summary>
    public static void Position(ImmutableDictionary<string, string?>.Builder b, Fact fact, string key, IOperation? site)
    {
        if (site is null || fact.Anchor is not null || !SameMember(site.Syntax, fact.ReportAt.Syntax)) return;
        b[key] = site.Syntax.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Whether both nodes are in the same member of the same tree (a step done inside a helper has no position here).</summary>
    private static bool SameMember(SyntaxNode a, SyntaxNode b) =>
        a.SyntaxTree == b.SyntaxTree && Member(a) == Member(b);

    private static SyntaxNode? Member(SyntaxNode node)
    {
        for (var n = node; n is not null; n = n.Parent)
        {
            if (n is Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax) return n;
        }
        return null;
    }

    /// <summary>The walker key as C#, for messages.</summary>
    public string WalkerKeyText => _report.WalkerKey?.Expression ?? "the walker key";
}

/// <summary>Properties of a free's diagnostic.</summary>
internal static class FreeProperties
{
    public static ImmutableDictionary<string, string?> Build(RuleReporter reporter, FreeFact f, string step, string problem, string? before = null)
    {
        var b = reporter.Properties(f, step, problem);
        b[DiagnosticPropertyKeys.Table] = f.Table;
        if (f.Entry is not null) b[DiagnosticPropertyKeys.Entry] = f.Entry;
        if (f.Address is not null) b[DiagnosticPropertyKeys.Address] = f.Address;
        if (f.ClearedInstead is not null) b[DiagnosticPropertyKeys.ClearedInstead] = f.ClearedInstead;
        if (before is not null) b[DiagnosticPropertyKeys.Before] = before;
        RuleReporter.Position(b, f, DiagnosticPropertyKeys.FreePosition, f.Site);
        RuleReporter.Position(b, f, DiagnosticPropertyKeys.DerivePosition, f.DeriveSite);
        RuleReporter.Position(b, f, DiagnosticPropertyKeys.ClearPosition, f.ClearSite);
        RuleReporter.Position(b, f, DiagnosticPropertyKeys.FlushPosition, f.FlushSite);
        RuleReporter.Position(b, f, DiagnosticPropertyKeys.LockPosition, f.CycleSite);
        RuleReporter.Position(b, f, DiagnosticPropertyKeys.BeforePosition, before switch
        {
            _ when f.LateSite is not null => f.LateSite,
            DiagnosticPropertyKeys.StepNames.Clear => f.ClearSite,
            DiagnosticPropertyKeys.StepNames.Flush => f.FlushSite,
            DiagnosticPropertyKeys.StepNames.Cycle => f.CycleSite,
            _ => null,
        });
        if (f.LockFreeArgument is { } lockFree && lockFree.IndexOf(':') is > 0 and var colon)
        {
            b[DiagnosticPropertyKeys.LockFreeParameter] = lockFree.Substring(0, colon);
        }
        return b.ToImmutable();
    }

    /// <summary>" (in Helper)" when the free is inside a called helper.</summary>
    public static string Via(FreeFact f) => f.ViaCall is { } via ? $" (inside {via})" : "";
}
