using System.CommandLine;

namespace Culprit.Cli.Remote;

/// <summary>The <c>--server URL</c> and <c>--token-file F</c> options of the commands that talk to a <c>culprit serve</c>.</summary>
internal static class ServerOptions
{
    public static Option<string?> Server() => new("--server") { Description = "a culprit server's URL (culprit serve): ask it instead of the local store" };

    public static Option<string?> TokenFile() => new("--token-file") { Description = "file holding the server's bearer token" };

    /// <summary>The token in <paramref name="file"/> (surrounding whitespace dropped); an empty file is an error, not "no token".</summary>
    public static string? ReadToken(string? file)
    {
        if (file is null)
        {
            return null;
        }
        InputFile.Check(file, "--token-file");
        var token = File.ReadAllText(file).Trim();
        if (token.Length == 0)
        {
            throw new Jobs.JobException($"--token-file {file} is empty");
        }
        return token;
    }
}
