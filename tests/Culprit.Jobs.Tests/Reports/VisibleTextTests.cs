using Culprit.Jobs.Reports;

namespace Culprit.Jobs.Tests.Reports;

public sealed class VisibleTextTests
{
    [Fact]
    public void A_line_shows_every_control_character_escaped()
    {
        Assert.Equal(@"a\x1b[31mb\rc\nd\te\x00f\x7fg\x9bh", VisibleText.Line("a\u001b[31mb\rc\nd\te\0f\u007fg\u009bh"));
    }

    [Fact]
    public void A_block_keeps_its_newlines_and_tabs()
    {
        Assert.Equal("one\n\ttwo\\r\nthree \\x1b[0m", VisibleText.Block("one\n\ttwo\r\nthree \u001b[0m"));
    }

    [Fact]
    public void Plain_text_and_other_unicode_are_left_alone()
    {
        const string text = "KASAN: use-after-free in früh_fn \\ 日本";

        Assert.Same(text, VisibleText.Line(text));
    }
}
