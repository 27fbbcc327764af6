using Culprit.Kernel.Maintainers;
using Culprit.Kernel.Tests.Support;
using Culprit.Processes;

namespace Culprit.Kernel.Tests;

public sealed class MaintainersLookupTests
{
    private const string Maintainers = """
        FOO DRIVER
        M:	Fay Foo <fay@foo.example>
        L:	foo-devel@lists.example
        F:	drivers/foo/

        THE REST
        L:	linux-kernel@vger.kernel.org
        F:	*
        F:	*/
        """;

    [Fact]
    public async Task Without_get_maintainer_the_MAINTAINERS_file_of_the_commit_is_parsed()
    {
        using var repo = await GitRepo.CreateAsync();
        repo.Write("MAINTAINERS", Maintainers);
        repo.Write("drivers/foo/core.c", "int foo;\n");
        await repo.CommitAsync("import");
        repo.Write("drivers/foo/core.c", "int foo = 1;\n");
        var culprit = await repo.CommitAsync("foo: initialise foo", "Dee Dev <Dee@Dev.example>");

        var cc = await new MaintainersLookup(repo.Path).FindAsync(culprit);

        Assert.Equal("MAINTAINERS", cc.Source);
        Assert.Equal(["dee@dev.example", "fay@foo.example", "foo-devel@lists.example", "keeper@example.org", "linux-kernel@vger.kernel.org"], cc.Addresses);
    }

    [Fact]
    public async Task Without_MAINTAINERS_only_the_author_and_committer_are_cc()
    {
        using var repo = await GitRepo.CreateAsync();
        repo.Write("main.c", "int main(void) { return 0; }\n");
        var culprit = await repo.CommitAsync("main", "Dee Dev <dee@dev.example>");

        var cc = await new MaintainersLookup(repo.Path).FindAsync(culprit);

        Assert.Equal("none", cc.Source);
        Assert.Equal("cc: [\"dee@dev.example\" \"keeper@example.org\"]", cc.Format());
    }

    [Fact]
    public async Task The_trees_own_get_maintainer_is_run_on_the_commits_patch()
    {
        using var repo = await GitRepo.CreateAsync();
        repo.Write("MAINTAINERS", Maintainers);
        // A tree's own script, reduced to what it does with its input: it reads the patch on stdin.
        repo.Write("scripts/get_maintainer.pl", """
            while (<STDIN>) { print "script-saw-foo\@example.org\n" if m{^diff --git a/drivers/foo/}; }
            print "Lists <lists\@example.org>\n";
            """);
        repo.Write("drivers/foo/core.c", "int foo;\n");
        var culprit = await repo.CommitAsync("foo: add", "Dee Dev <dee@dev.example>");

        var cc = await new MaintainersLookup(repo.Path).FindAsync(culprit);

        Assert.Equal("scripts/get_maintainer.pl", cc.Source);
        Assert.Equal(["dee@dev.example", "keeper@example.org", "lists@example.org", "script-saw-foo@example.org"], cc.Addresses);
    }

    [Fact]
    public async Task A_failing_get_maintainer_falls_back_to_parsing_MAINTAINERS()
    {
        using var repo = await GitRepo.CreateAsync();
        repo.Write("MAINTAINERS", Maintainers);
        repo.Write("scripts/get_maintainer.pl", "die \"not a kernel tree\\n\";\n");
        repo.Write("drivers/foo/core.c", "int foo;\n");
        var culprit = await repo.CommitAsync("foo: add", "Dee Dev <dee@dev.example>");

        var cc = await new MaintainersLookup(repo.Path).FindAsync(culprit);

        Assert.Equal("MAINTAINERS", cc.Source);
        Assert.Contains("fay@foo.example", cc.Addresses);
    }

    [Fact]
    public async Task A_patch_longer_than_the_output_limit_is_an_error_naming_the_cut_not_a_cc_list_from_its_tail()
    {
        using var repo = await GitRepo.CreateAsync();
        repo.Write("MAINTAINERS", Maintainers);
        repo.Write("drivers/foo/core.c", "int foo;\n");
        await repo.CommitAsync("import");
        // drivers/foo/ leads the patch; its tail, all a cut capture keeps, touches only other files.
        repo.Write("drivers/foo/core.c", "int foo = 1;\n");
        repo.Write("zz/generated.h", string.Concat(Enumerable.Range(0, 40_000).Select(i => $"#define GENERATED_REGISTER_{i} {i}\n")));
        var culprit = await repo.CommitAsync("foo: add generated registers", "Dee Dev <dee@dev.example>");
        var lookup = new MaintainersLookup(repo.Path) { UseTreeScript = false, MaxOutputChars = 256 * 1024 };

        var error = await Assert.ThrowsAsync<ProcessFailedException>(() => lookup.FindAsync(culprit));

        Assert.Equal("git show output exceeded 262144 characters (finding the cc list)", error.Message);
    }

    [Fact]
    public async Task A_get_maintainer_answer_longer_than_the_output_limit_is_an_error_naming_the_cut()
    {
        using var repo = await GitRepo.CreateAsync();
        repo.Write("MAINTAINERS", Maintainers);
        repo.Write("scripts/get_maintainer.pl", "print \"person$_\\@example.org\\n\" for 1..100000;\n");
        repo.Write("drivers/foo/core.c", "int foo;\n");
        var culprit = await repo.CommitAsync("foo: add", "Dee Dev <dee@dev.example>");
        var lookup = new MaintainersLookup(repo.Path) { MaxOutputChars = 256 * 1024 };

        var error = await Assert.ThrowsAsync<ProcessFailedException>(() => lookup.FindAsync(culprit));

        Assert.Equal("scripts/get_maintainer.pl output exceeded 262144 characters (finding the cc list)", error.Message);
    }
}
