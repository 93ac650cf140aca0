namespace Flotilla.Kubelet.Status;

/// <summary>Why a container that is not running waits, when the kubelet knows better than the runtime (<c>CrashLoopBackOff</c>, <c>ErrImagePull</c>, ...).</summary>
/// <param name="RetryIn">When the kubelet should look again (the rest of a back-off); null: soon.</param>
public sealed record ContainerWaiting(string Reason, string Message, TimeSpan? RetryIn = null);
