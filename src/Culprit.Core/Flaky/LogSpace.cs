namespace Culprit.Core.Flaky;

/// <summary>Arithmetic on probabilities kept as logarithms (likelihoods of hundreds of runs underflow a double).</summary>
internal static class LogSpace
{
    /// <summary>log(e^a + e^b) without leaving log space; −∞ stands for probability 0.</summary>
    public static double AddExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }
        if (double.IsNegativeInfinity(b))
        {
            return a;
        }
        var max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}
