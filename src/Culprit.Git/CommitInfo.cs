namespace Culprit.Git;

/// <summary>What the log and reports show of a commit.</summary>
public sealed record CommitInfo(
    string Hash,
    string Subject,
    string AuthorName,
    string AuthorEmail,
    DateTimeOffset AuthorDate,
    string CommitterName,
    string CommitterEmail,
    string Body)
{
    public string Author => $"{AuthorName} <{AuthorEmail}>";
}
