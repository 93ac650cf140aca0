namespace Flotilla.Kubelet.Status;

/// <summary>Why the kubelet failed a pod itself: the pod status' <c>reason</c> and <c>message</c> (<c>DeadlineExceeded</c>, ...).</summary>
public sealed record PodFailure(string Reason, string Message);
