using Culprit.Git;
using Culprit.Processes;
using Culprit.Store;

namespace Culprit.Jobs;

/// <summary>The exceptions that mean "the user must fix something": shown as one line, never as a stack trace.</summary>
public static class UserErrors
{
    public static bool Is(Exception ex) => ex is JobException or GitException or StoreException or JobFailedException
        or ProcessStartException or ProcessFailedException
        or MissingToolException or Kernel.KernelInputException or Machines.ReproducerException or Machines.VmSetupException or UntestableCommitException
        or IOException or UnauthorizedAccessException;
}
