namespace Culprit.Core.Domain;

/// <summary>What a commit is judged to be, in the cause direction's terms.</summary>
public enum Verdict
{
    Good,
    Bad,
    Skip,
}
