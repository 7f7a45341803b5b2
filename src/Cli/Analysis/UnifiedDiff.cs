using System.Text;

namespace PtGuard.Cli.Analysis;

/// <summary>A unified diff (<c>diff -u</c> format, three lines of context) of two texts, line by line.</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The diff from <paramref name="before"/> to <paramref name="after"/>, headed <c>--- a/path</c> / <c>+++ b/path</c>; empty when equal.</summary>
    public static string Create(string path, string before, string after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var edits = Script(a, b);
        if (edits.All(e => e.Kind == ' ')) return "";
        var output = new StringBuilder();
        var display = path.Replace('\\', '/');
        output.Append("--- a/").Append(display).Append('\n').Append("+++ b/").Append(display).Append('\n');
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Kind == ' ')
            {
                i++;
                continue;
            }
            // A hunk: this change, and every later change whose context touches it.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (true)
            {
                while (end < edits.Count && edits[end].Kind != ' ') end++;
                var next = end;
                while (next < edits.Count && edits[next].Kind == ' ' && next - end < 2 * Context) next++;
                if (next < edits.Count && edits[next].Kind != ' ') end = next;
                else break;
            }
            end = Math.Min(edits.Count, end + Context);
            var hunk = edits.GetRange(start, end - start);
            var oldStart = hunk[0].OldLine;
            var newStart = hunk[0].NewLine;
            var oldCount = hunk.Count(e => e.Kind != '+');
            var newCount = hunk.Count(e => e.Kind != '-');
            output.Append($"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@\n");
            foreach (var e in hunk) output.Append(e.Kind).Append(e.Text).Append('\n');
            i = end;
        }
        return output.ToString();
    }

    private static string Range(int start, int count) => count == 0 ? $"{start - 1},0" : count == 1 ? $"{start}" : $"{start},{count}";

    private static string[] Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    private readonly record struct Edit(char Kind, string Text, int OldLine, int NewLine);

    /// <summary>The edit script of a longest common subsequence of lines (files here are small).</summary>
    private static List<Edit> Script(string[] a, string[] b)
    {
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var x = a.Length - 1; x >= 0; x--)
        {
            for (var y = b.Length - 1; y >= 0; y--)
            {
                lcs[x, y] = a[x] == b[y] ? lcs[x + 1, y + 1] + 1 : Math.Max(lcs[x + 1, y], lcs[x, y + 1]);
            }
        }
        var edits = new List<Edit>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (i < a.Length && j < b.Length && a[i] == b[j])
            {
                edits.Add(new Edit(' ', a[i], i + 1, j + 1));
                i++;
                j++;
            }
            else if (j < b.Length && (i == a.Length || lcs[i, j + 1] >= lcs[i + 1, j]))
            {
                edits.Add(new Edit('+', b[j], i + 1, j + 1));
                j++;
            }
            else
            {
                edits.Add(new Edit('-', a[i], i + 1, j + 1));
                i++;
            }
        }
        return edits;
    }
}
