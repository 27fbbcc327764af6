using Culprit.Kernel.Maintainers;

namespace Culprit.Kernel.Tests;

public sealed class MaintainersFileTests
{
    private const string Text = """
        List of maintainers
        ===================

        Descriptions of section entries and preferred order
        ---------------------------------------------------

        	M: *Mail* patches to: FullName <address@domain>
        	F: *Files* and directories wildcard patterns.

        Maintainers List
        ----------------

        FOO DRIVER
        M:	Fay Foo <fay@foo.example>
        R:	Rex Reviewer <rex@foo.example>
        L:	foo-devel@lists.example (moderated for non-subscribers)
        L:	foo-private@lists.example (subscribers-only)
        S:	Maintained
        F:	drivers/foo/
        X:	drivers/foo/legacy/

        FOO HEADERS
        M:	hal@hdr.example
        S:	Maintained
        F:	include/linux/foo*.h

        BAR CORE
        M:	Bo Bar <bo@bar.example>
        S:	Odd Fixes
        F:	kernel/bar.c
        F:	lib/bar

        QUX FILES BY NAME
        M:	Quinn <quinn@qux.example>
        S:	Supported
        N:	qux

        TRACING KEYWORD
        M:	Tess <tess@trace.example>
        S:	Maintained
        K:	\btrace_culprit_\w+

        THE REST
        M:	Linus Torvalds <torvalds@linux-foundation.org>
        L:	linux-kernel@vger.kernel.org
        S:	Buried alive in reporters
        F:	*
        F:	*/
        """;

    private static readonly string[] Directories = ["drivers", "drivers/foo", "drivers/foo/legacy", "include", "include/linux", "kernel", "lib", "lib/bar"];

    private static readonly MaintainersFile File = MaintainersFile.Parse(Text, Directories.Contains);

    private static IEnumerable<string> Titles(string file) => File.SectionsFor(file).Select(s => s.Title);

    [Fact]
    public void Sections_are_parsed_with_their_titles_and_the_header_is_skipped() =>
        Assert.Equal(["FOO DRIVER", "FOO HEADERS", "BAR CORE", "QUX FILES BY NAME", "TRACING KEYWORD", "THE REST"], File.Sections.Select(s => s.Title));

    [Fact]
    public void A_pattern_ending_in_a_slash_covers_the_whole_subtree() =>
        Assert.Equal(["FOO DRIVER", "THE REST"], Titles("drivers/foo/sub/dir/core.c"));

    [Fact]
    public void An_excluded_path_is_not_covered_by_its_section() =>
        Assert.Equal(["THE REST"], Titles("drivers/foo/legacy/old.c"));

    [Fact]
    public void A_glob_matches_within_its_directory_only()
    {
        Assert.Contains("FOO HEADERS", Titles("include/linux/foo_regs.h"));
        Assert.DoesNotContain("FOO HEADERS", Titles("include/linux/foo/regs.h"));
        Assert.DoesNotContain("FOO HEADERS", Titles("include/linux/foo_regs.c"));
    }

    [Fact]
    public void A_file_pattern_matches_that_file_and_a_directory_pattern_without_slash_its_subtree()
    {
        Assert.Contains("BAR CORE", Titles("kernel/bar.c"));
        Assert.DoesNotContain("BAR CORE", Titles("kernel/sub/bar.c"));
        Assert.Contains("BAR CORE", Titles("lib/bar/tables.c"));
        Assert.DoesNotContain("BAR CORE", Titles("lib/barrier.c"));
    }

    [Fact]
    public void Without_the_directory_list_a_pattern_with_files_below_it_is_taken_as_a_directory()
    {
        var guessing = MaintainersFile.Parse(Text);
        Assert.Contains(guessing.SectionsFor("lib/bar/tables.c"), s => s.Title == "BAR CORE");
        Assert.Contains(guessing.SectionsFor("kernel/bar.c"), s => s.Title == "BAR CORE");
    }

    [Fact]
    public void An_N_regex_matches_anywhere_in_the_path() =>
        Assert.Contains("QUX FILES BY NAME", Titles("sound/soc/qux-codec.c"));

    [Fact]
    public void THE_REST_covers_top_level_and_nested_files()
    {
        Assert.Equal(["THE REST"], Titles("Makefile"));
        Assert.Equal(["THE REST"], Titles("kernel/sys.c"));
    }

    [Fact]
    public void Addresses_are_maintainers_and_lists_without_reviewers_subscriber_lists_or_Linus() =>
        Assert.Equal(
            ["fay@foo.example", "foo-devel@lists.example", "linux-kernel@vger.kernel.org"],
            File.AddressesFor(["drivers/foo/core.c"]));

    [Fact]
    public void A_K_keyword_in_the_changed_lines_adds_its_section()
    {
        const string patch = "Subject: [PATCH] sys: tidy\n\ndiff --git a/kernel/sys.c b/kernel/sys.c\n--- a/kernel/sys.c\n+++ b/kernel/sys.c\n@@ -1,3 +1,3 @@\n context trace_culprit_untouched\n-old\n+\ttrace_culprit_event(x);\n";
        Assert.Contains("tess@trace.example", File.AddressesFor(MaintainersFile.FilesInPatch(patch), patch));
    }

    [Fact]
    public void A_K_keyword_only_in_unchanged_context_does_not()
    {
        const string patch = "Subject: [PATCH] sys: tidy\n\ndiff --git a/kernel/sys.c b/kernel/sys.c\n--- a/kernel/sys.c\n+++ b/kernel/sys.c\n@@ -1,3 +1,3 @@\n trace_culprit_context(y);\n-old\n+new\n";
        Assert.DoesNotContain("tess@trace.example", File.AddressesFor(MaintainersFile.FilesInPatch(patch), patch));
    }

    [Fact]
    public void Both_names_of_a_renamed_file_count()
    {
        const string patch = "diff --git a/drivers/foo/a.c b/kernel/bar.c\nsimilarity index 90%\nrename from drivers/foo/a.c\nrename to kernel/bar.c\n";
        Assert.Equal(["drivers/foo/a.c", "kernel/bar.c"], MaintainersFile.FilesInPatch(patch));
    }
}
