using Culprit.Cli.Commands;

namespace Culprit.Service.Tests;

/// <summary><c>submit</c> takes exactly bisect's job options (one definition), plus how to reach the server.</summary>
public sealed class SubmitOptionsTests
{
    [Fact]
    public void Submit_has_the_options_of_bisect_except_the_local_store_and_result_file()
    {
        var bisect = BisectCommand.Create().Options.Select(o => o.Name).ToHashSet();
        var submit = SubmitCommand.Create().Options.Select(o => o.Name).ToHashSet();

        bisect.ExceptWith(["--store", "--json"]);
        submit.ExceptWith(["--server", "--token-file", "--follow"]);
        Assert.Equal(bisect.Order(), submit.Order());
    }
}
