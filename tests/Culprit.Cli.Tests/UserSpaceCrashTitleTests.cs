using System.Globalization;
using System.Text.Json;
using Culprit.Processes;

namespace Culprit.Cli.Tests;

/// <summary>Failed runs of any-project tests are titled from their sanitizer or abort report, with no TITLE line.</summary>
public sealed class UserSpaceCrashTitleTests
{
    private const int Commits = 16;
    private const int UseAfterFree = 11;

    [Fact]
    public async Task The_flaky_strategy_names_the_use_after_free_commit_and_sets_an_unrelated_assertion_aside()
    {
        using var temp = new TempDir();
        var repo = temp.Sub("repo");
        var hashes = await CreateRepositoryAsync(repo);
        // About one run in three of any commit fails a glibc assert (drawn from the run's number, which lives outside
        // the worktree). One worker: two would share the counter in an order the machine's load decides, and a crash
        // every third run lined up with one commit's first runs every time (a loaded CI once saw another culprit).
        var counter = temp.Sub("counter");
        await File.WriteAllTextAsync(counter, "0\n");
        var json = temp.Sub("r.json");
        var run = await CliHarness.InvokeAsync("bisect", "--repo", repo, "--bad", "main", "--good", hashes[0],
            "--build", "make", "--test", $"ASAN_OPTIONS=detect_leaks=0 ./prog '{counter}'", "--workers", "1", "--json", json, "--store", temp.Sub("s.db"));

        Assert.True(run.ExitCode == 0, run.Output);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.True(hashes[UseAfterFree] == root.GetProperty("culprit").GetProperty("commit").GetString(), run.Output);
        Assert.True(run.Output.Contains("crashed: heap-use-after-free in use_name", StringComparison.Ordinal), run.Output);
        Assert.True(run.Output.Contains("crashed: ASSERT: !unlucky(tick) (unrelated)", StringComparison.Ordinal), run.Output);
        Assert.DoesNotContain("exit status", run.Output);
        // The result is titled by the bug, not by the assert that may come first on the bad commit.
        Assert.Equal("heap-use-after-free in use_name", root.GetProperty("crash_title").GetString());
        Assert.Contains("crash: heap-use-after-free in use_name", run.Output);
    }

    private static string Source(bool useAfterFree) =>
        """
        #include <assert.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>

        /* About one run in three, drawn from the run's number (a fixed hash, not every third run). */
        static int unlucky(long tick)
        {
            unsigned long x = (unsigned long)tick * 2654435761UL;
            return (x >> 7) % 3 == 1;
        }

        /* Counts this program's runs in a file; about one run in three fails the assert. */
        static void count_run(const char *path)
        {
            long tick = 0;
            FILE *f = fopen(path, "r");
            if (f) { if (fscanf(f, "%ld", &tick) != 1) tick = 0; fclose(f); }
            tick++;
            f = fopen(path, "w");
            if (f) { fprintf(f, "%ld\n", tick); fclose(f); }
            assert(!unlucky(tick));
        }

        static char *make_name(void)
        {
            char *name = malloc(16);
            strcpy(name, "culprit");
            return name;
        }

        __attribute__((noinline)) static int use_name(char *name)
        {
        """ + (useAfterFree ? "\n    free(name);\n    return name[0] == 'c';\n" : "\n    int ok = name[0] == 'c';\n    free(name);\n    return ok;\n") +
        """
        }

        int main(int argc, char **argv)
        {
            if (argc > 1) count_run(argv[1]);
            return use_name(make_name()) ? 0 : 2;
        }
        """;

    private static async Task<string[]> CreateRepositoryAsync(string path)
    {
        Directory.CreateDirectory(path);
        await Git(path, "init", "-q", "-b", "main");
        await File.WriteAllTextAsync(Path.Combine(path, "Makefile"), "prog: prog.c\n\tgcc -g -O0 -fsanitize=address -fno-omit-frame-pointer -o prog prog.c\n");
        await File.WriteAllTextAsync(Path.Combine(path, ".gitignore"), "prog\n");
        var hashes = new string[Commits];
        for (int i = 0; i < Commits; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(path, "prog.c"), Source(useAfterFree: i >= UseAfterFree));
            await File.WriteAllTextAsync(Path.Combine(path, "NEWS"), $"change {i}\n");
            await Git(path, "add", "-A");
            hashes[i] = await TestGit.CommitAsync(path, i == UseAfterFree ? "prog: free the name early" : $"change number {i}", TestGit.Identity(i, "Dev One", "dev1@example.com"));
        }
        return hashes;
    }

    private static Task<ProcessResult> Git(string path, params string[] args) =>
        ProcessRunner.RunCheckedAsync(new ProcessSpec("git", ["-C", path, .. args]));
}
