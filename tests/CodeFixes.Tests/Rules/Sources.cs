namespace PtGuard.CodeFixes.Tests.Rules;

/// <summary>Builds test files: the usings every sample needs and members in a static class, indented as a file would be.</summary>
internal static class Sources
{
    public const string Usings = "using PtGuard.Runtime;\nusing PtGuard.Runtime.Reference;\nusing static PtGuard.Runtime.Kernel;\n";

    /// <summary><paramref name="members"/> in <c>public static class <paramref name="name"/></c> with the usings.</summary>
    public static string Class(string members, string name = "Sample", string usings = Usings) =>
        usings + "\npublic static class " + name + "\n{\n" + string.Join("\n", members.Replace("\r\n", "\n").Split('\n').Select(l => l.Length == 0 ? l : "    " + l)) + "\n}\n";
}
