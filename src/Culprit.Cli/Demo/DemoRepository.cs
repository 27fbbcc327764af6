using System.Globalization;
using Culprit.Processes;

namespace Culprit.Cli.Demo;

/// <summary>
/// Creates the built-in example: a small git repository whose C calculator is built with gcc
/// (AddressSanitizer on) and, from one commit on, overflows a heap buffer on the test input. The
/// history has releases (v1.0–v1.2), documentation-only commits, a commit that breaks the build and
/// the one that repairs it; with <c>withFix</c> a later commit removes the bug again.
/// </summary>
internal static class DemoRepository
{
    public const string BugSubject = "calc: grow the history buffer on demand";
    public const string FixSubject = "calc: fix the history growth check";
    /// <summary>The title Culprit gives the AddressSanitizer report of the bug (see UserSpaceTitle).</summary>
    public const string CrashTitle = "heap-buffer-overflow in history_add";

    private sealed record Step(string Subject, string Author, Action<DemoTree> Change, string? Tag = null);

    /// <summary>Writes the repository into <paramref name="dir"/> (which must be empty or absent).</summary>
    public static async Task<DemoInfo> CreateAsync(string dir, bool flaky, bool withFix, CancellationToken ct = default)
    {
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            throw new IOException($"demo directory is not empty: {dir}");
        }
        Directory.CreateDirectory(dir);
        var tree = new DemoTree(dir);
        await Git(dir, ct, "init", "-q", "-b", "master");

        var steps = new List<Step>
        {
            new("calc: a line calculator", "Ada Lovelace <ada@example.org>", t =>
            {
                t.Write("Makefile", Makefile("-g -O1 -fsanitize=address -fno-omit-frame-pointer"));
                t.Write("test.sh", TestScript(flaky));
                t.Write(".gitignore", "calc\nasan.log\n");
                t.Write("README", "calc reads lines of \"A OP B\" and prints the results.\n");
                t.Write("tests/input.txt", "1 + 2\n7 - 3\n");
                t.Write("tests/long.txt", string.Concat(Enumerable.Range(1, 8).Select(i => $"{i} + {i}\n")));
            }),
            new("calc: add multiplication", "Ada Lovelace <ada@example.org>", t => t.Enable("mul")),
            new("docs: describe usage", "Grace Hopper <grace@example.org>", t => t.Append("README", "\nUsage: ./calc < input\n")),
            new("calc: add division", "Ada Lovelace <ada@example.org>", t => t.Enable("div"), "v1.0"),
            new("calc: skip blanks around numbers", "Linus Pauling <linus@example.org>", t => t.Enable("trim")),
            new("docs: fix a typo", "Grace Hopper <grace@example.org>", t => t.Append("README", "Operators: + - * /\n")),
            new("calc: add modulo", "Ada Lovelace <ada@example.org>", t => t.Enable("mod"), "v1.1"),
            new("build: warn about everything", "Ken Thompson <ken@example.org>", t => t.Write("Makefile", Makefile("-g -O1 -Wall -fsanitize=address -fno-omit-frame-pointer"))),
            new("calc: keep a history of results", "Barbara Liskov <barbara@example.org>", t => t.Enable("history")),
            new("docs: mention the history", "Grace Hopper <grace@example.org>", t => t.Append("README", "Results are kept in a history.\n"), "v1.2"),
            new("build: build as C11", "Ken Thompson <ken@example.org>", t => t.Write("Makefile", Makefile("-g -O1 -Wall -std=c1 -fsanitize=address -fno-omit-frame-pointer"))),
            new("calc: add the power operator", "Ada Lovelace <ada@example.org>", t => t.Enable("pow")),
            new("build: fix the C standard flag", "Ken Thompson <ken@example.org>", t => t.Write("Makefile", Makefile("-g -O1 -Wall -std=c11 -fsanitize=address -fno-omit-frame-pointer"))),
            new("docs: list the operators", "Grace Hopper <grace@example.org>", t => t.Append("README", "Also: % and ^\n")),
            new(BugSubject, "Barbara Liskov <barbara@example.org>", t => t.Enable("history-lazy")),
            new("docs: add examples", "Grace Hopper <grace@example.org>", t => t.Append("README", "Example: echo '2 ^ 10' | ./calc\n")),
            new("calc: print results with two decimals", "Ada Lovelace <ada@example.org>", t => t.Enable("precision")),
            new("tests: more input", "Linus Pauling <linus@example.org>", t => t.Append("tests/input.txt", "6 * 7\n")),
            new("docs: explain the test script", "Grace Hopper <grace@example.org>", t => t.Append("README", "test.sh runs calc on tests/ under AddressSanitizer.\n"), withFix ? "v1.3" : null),
            new("build: add a clean target", "Ken Thompson <ken@example.org>", t => t.Append("Makefile", "\nclean:\n\trm -f calc\n")),
        };
        if (withFix)
        {
            steps.Add(new("docs: note the known overflow", "Grace Hopper <grace@example.org>", t => t.Append("README", "Known bug: long inputs crash.\n")));
            steps.Add(new(FixSubject, "Barbara Liskov <barbara@example.org>", t => t.Enable("history-fix")));
            steps.Add(new("docs: the overflow is fixed", "Grace Hopper <grace@example.org>", t => t.Append("README", "Long inputs work again.\n")));
        }

        string? bug = null, fix = null, crashing = null;
        var time = new DateTimeOffset(2024, 1, 8, 9, 0, 0, TimeSpan.Zero);
        foreach (var step in steps)
        {
            step.Change(tree);
            tree.Flush();
            time = time.AddHours(7);
            var hash = await CommitAsync(dir, step.Subject, step.Author, time, ct);
            if (step.Tag is not null)
            {
                await Git(dir, ct, "tag", step.Tag);
                if (step.Tag == "v1.3")
                {
                    crashing = hash;
                }
            }
            if (step.Subject == BugSubject)
            {
                bug = hash;
            }
            if (step.Subject == FixSubject)
            {
                fix = hash;
            }
        }
        var head = (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", dir, "rev-parse", "HEAD"), ct)).StandardOutput.Trim();
        return new DemoInfo(dir, bug!, fix, crashing, head);
    }

    private static string Makefile(string cflags) =>
        $"CFLAGS = {cflags}\n\ncalc: calc.c Makefile\n\t$(CC) $(CFLAGS) -o calc calc.c\n";

    // The test: run calc on the input under AddressSanitizer and print its report; Culprit names the
    // crash from the report itself. In the flaky variant a third of the runs use the long input that
    // triggers the overflow.
    private static string TestScript(bool flaky)
    {
        var pick = flaky
            ? "n=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')\nif [ $((n % 3)) -eq 0 ]; then input=tests/long.txt; else input=tests/input.txt; fi\n"
            : "input=tests/long.txt\n";
        return "#!/bin/sh\n# Runs calc once; exit 0 = OK, anything else = crashed (the AddressSanitizer report names the crash).\n" + pick +
            "ASAN_OPTIONS=detect_leaks=0 ./calc < \"$input\" > /dev/null 2> asan.log\n" +
            "status=$?\n" +
            "sed '/^Shadow bytes/,$d' asan.log\n" +
            "exit $status\n";
    }

    private static async Task<string> CommitAsync(string dir, string subject, string author, DateTimeOffset time, CancellationToken ct)
    {
        var date = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " +0000";
        var name = author[..author.IndexOf(" <", StringComparison.Ordinal)];
        var email = author[(author.IndexOf('<') + 1)..^1];
        var env = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = name, ["GIT_AUTHOR_EMAIL"] = email, ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_NAME"] = name, ["GIT_COMMITTER_EMAIL"] = email, ["GIT_COMMITTER_DATE"] = date,
        };
        await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, "add", "-A"]), ct);
        await ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, "commit", "-q", "-m", subject]) { Environment = env }, ct);
        return (await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("git", "-C", dir, "rev-parse", "HEAD"), ct)).StandardOutput.Trim();
    }

    private static Task<ProcessResult> Git(string dir, CancellationToken ct, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", dir, .. args]), ct);
}

/// <summary>Where the demo repository is and which commits matter in it.</summary>
internal sealed record DemoInfo(string Path, string Bug, string? Fix, string? Crashing, string Head);

/// <summary>The files of the demo tree, written to disk on <see cref="Flush"/>.</summary>
internal sealed class DemoTree(string dir)
{
    private readonly HashSet<string> _features = [];
    private readonly Dictionary<string, string> _files = [];

    public void Enable(string feature) => _features.Add(feature);

    public void Write(string path, string text) => _files[path] = text;

    public void Append(string path, string text) => _files[path] = (_files.TryGetValue(path, out var old) ? old : File.ReadAllText(System.IO.Path.Combine(dir, path))) + text;

    public void Flush()
    {
        _files["calc.c"] = CalcSource.Render(_features);
        foreach (var (path, text) in _files)
        {
            var full = System.IO.Path.Combine(dir, path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
            if (path.EndsWith(".sh", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
            }
        }
        _files.Clear();
    }
}
