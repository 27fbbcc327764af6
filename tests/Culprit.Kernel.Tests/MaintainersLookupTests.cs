using Culprit.Kernel.Maintainers;
using Culprit.Kernel.Tests.Support;

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
}
