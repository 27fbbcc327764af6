using System.Globalization;

namespace Culprit.Jobs;

/// <summary>Durations written the way syzbot's log writes them (Go's time.Duration: <c>3h10m18.966s</c>).</summary>
public static class GoDuration
{
    public static string Format(TimeSpan d)
    {
        if (d <= TimeSpan.Zero)
        {
            return "0s";
        }
        var text = "";
        if (d.TotalHours >= 1)
        {
            text += $"{(int)d.TotalHours}h";
        }
        if (d.TotalMinutes >= 1)
        {
            text += $"{d.Minutes}m";
        }
        var seconds = d.Seconds + d.Milliseconds / 1000.0;
        text += seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return text;
    }

    public static string Format(double seconds) => Format(TimeSpan.FromSeconds(seconds));
}
