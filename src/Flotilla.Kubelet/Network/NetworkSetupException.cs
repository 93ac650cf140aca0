namespace Flotilla.Kubelet.Network;

/// <summary>The node's network could not be set up (an iptables command failed); the kubelet tries again.</summary>
public sealed class NetworkSetupException : Exception
{
    public NetworkSetupException()
    {
    }

    public NetworkSetupException(string message)
        : base(message)
    {
    }

    public NetworkSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
