using Culprit.Core.Domain;

namespace Culprit.Jobs;

/// <summary>
/// The job's range, listed while its ends are being tested when the ends are known from the start
/// (a cause bisection given <c>--good</c>, or a fix bisection): at a million commits the listing
/// takes seconds, and the reproduce step's build and runs take as long or longer, so the first
/// bisection test no longer waits for both in turn. The ends the job settles on decide: when they
/// are not the ones guessed (a release walk), the range is listed then. A listing nobody asks for
/// (the crash did not reproduce) is cancelled and its errors dropped.
/// </summary>
internal sealed class RangeListing : IAsyncDisposable
{
    private readonly IJobHistory _history;
    private readonly (string New, string Old)? _ends;
    private readonly CancellationTokenSource _cancel;
    private readonly Task<CommitGraph>? _early;

    private RangeListing(IJobHistory history, JobSpec spec, CancellationToken ct)
    {
        _history = history;
        // A good commit that is not an ancestor of the bad one: the range runs from their merge base.
        _ends = spec.Good is not { } good ? null
            : spec.Direction == Direction.Cause ? (spec.Bad, spec.MergeBase ?? good) : (good, spec.Bad);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (_ends is { } ends)
        {
            _early = Task.Run(() => _history.RangeAsync(ends.New, ends.Old, _cancel.Token), _cancel.Token);
        }
    }

    public static RangeListing Start(IJobHistory history, JobSpec spec, CancellationToken ct) => new(history, spec, ct);

    /// <summary>The range from <paramref name="newEnd"/> back to <paramref name="oldEnd"/>.</summary>
    public Task<CommitGraph> GetAsync(string newEnd, string oldEnd, CancellationToken ct) =>
        _early is not null && _ends == (newEnd, oldEnd)
            ? _early.WaitAsync(ct)
            : _history.RangeAsync(newEnd, oldEnd, ct);

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        if (_early is not null)
        {
            try
            {
                await _early;
            }
            catch (Exception)
            {
                // Unused, or already seen by the caller that awaited it.
            }
        }
        _cancel.Dispose();
    }
}
