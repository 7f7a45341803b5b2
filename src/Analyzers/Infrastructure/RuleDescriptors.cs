using Microsoft.CodeAnalysis;

namespace PtGuard.Analyzers;

/// <summary>Builds every rule's descriptor; the help link always comes from the ID.</summary>
internal static class RuleDescriptors
{
    /// <summary>Where the rule pages live; <c>{id}.md</c> is appended.</summary>
    public const string HelpLinkBase = "https://github.com/ptguard/ptguard/blob/main/docs/rules/";

    /// <summary>The help page of rule <paramref name="id"/>.</summary>
    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    public static DiagnosticDescriptor Create(string id, string title, string messageFormat, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, messageFormat, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLink(id));
}
