using System.Text;

namespace Culprit.Cli.Demo;

/// <summary>
/// The demo project's C program, a line calculator, rendered from the features its history has
/// reached. One feature ("history-lazy") brings a real heap overflow that AddressSanitizer reports;
/// a later one ("history-fix") removes it.
/// </summary>
internal static class CalcSource
{
    public static string Render(IReadOnlySet<string> f)
    {
        var s = new StringBuilder();
        s.AppendLine("/* calc: reads lines of \"A OP B\" and prints the results. */");
        s.AppendLine("#include <stdio.h>");
        s.AppendLine("#include <stdlib.h>");
        s.AppendLine("#include <string.h>");
        s.AppendLine();
        if (f.Contains("history"))
        {
            s.AppendLine("static long *history;");
            s.AppendLine("static size_t history_len, history_cap;");
            s.AppendLine();
            s.AppendLine("static void history_add(long value)");
            s.AppendLine("{");
            if (f.Contains("history-lazy"))
            {
                var check = f.Contains("history-fix") ? "history_len == history_cap" : "history_len > history_cap";
                s.AppendLine($"\tif ({check}) {{");
                s.AppendLine("\t\thistory_cap *= 2;");
                s.AppendLine("\t\thistory = realloc(history, history_cap * sizeof(*history));");
                s.AppendLine("\t}");
            }
            else
            {
                s.AppendLine("\tif (history_len == history_cap)");
                s.AppendLine("\t\treturn;");
            }
            s.AppendLine("\thistory[history_len++] = value;");
            s.AppendLine("}");
            s.AppendLine();
        }
        s.AppendLine("static long parse_number(const char **p)");
        s.AppendLine("{");
        if (f.Contains("trim"))
        {
            s.AppendLine("\twhile (**p == ' ' || **p == '\\t')");
            s.AppendLine("\t\t(*p)++;");
        }
        s.AppendLine("\tchar *end;");
        s.AppendLine("\tlong v = strtol(*p, &end, 10);");
        s.AppendLine("\t*p = end;");
        s.AppendLine("\treturn v;");
        s.AppendLine("}");
        s.AppendLine();
        s.AppendLine("static int apply(long a, char op, long b, long *out)");
        s.AppendLine("{");
        s.AppendLine("\tswitch (op) {");
        s.AppendLine("\tcase '+': *out = a + b; return 0;");
        s.AppendLine("\tcase '-': *out = a - b; return 0;");
        if (f.Contains("mul"))
        {
            s.AppendLine("\tcase '*': *out = a * b; return 0;");
        }
        if (f.Contains("div"))
        {
            s.AppendLine("\tcase '/': if (b == 0) return -1; *out = a / b; return 0;");
        }
        if (f.Contains("mod"))
        {
            s.AppendLine("\tcase '%': if (b == 0) return -1; *out = a % b; return 0;");
        }
        if (f.Contains("pow"))
        {
            s.AppendLine("\tcase '^': *out = 1; while (b-- > 0) *out *= a; return 0;");
        }
        s.AppendLine("\t}");
        s.AppendLine("\treturn -1;");
        s.AppendLine("}");
        s.AppendLine();
        s.AppendLine("int main(void)");
        s.AppendLine("{");
        s.AppendLine("\tchar line[256];");
        if (f.Contains("history"))
        {
            s.AppendLine("\thistory_cap = 4;");
            s.AppendLine("\thistory = malloc(history_cap * sizeof(*history));");
        }
        s.AppendLine("\twhile (fgets(line, sizeof(line), stdin)) {");
        s.AppendLine("\t\tconst char *p = line;");
        s.AppendLine("\t\tlong a = parse_number(&p), r;");
        if (f.Contains("trim"))
        {
            s.AppendLine("\t\twhile (*p == ' ')");
            s.AppendLine("\t\t\tp++;");
        }
        s.AppendLine("\t\tchar op = *p++;");
        s.AppendLine("\t\tlong b = parse_number(&p);");
        s.AppendLine("\t\tif (apply(a, op, b, &r)) {");
        s.AppendLine("\t\t\tprintf(\"error\\n\");");
        s.AppendLine("\t\t\tcontinue;");
        s.AppendLine("\t\t}");
        if (f.Contains("history"))
        {
            s.AppendLine("\t\thistory_add(r);");
        }
        s.AppendLine(f.Contains("precision") ? "\t\tprintf(\"%.2f\\n\", (double)r);" : "\t\tprintf(\"%ld\\n\", r);");
        s.AppendLine("\t}");
        s.AppendLine("\treturn 0;");
        s.AppendLine("}");
        return s.ToString();
    }
}
