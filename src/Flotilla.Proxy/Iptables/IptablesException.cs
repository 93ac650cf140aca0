namespace Flotilla.Proxy.Iptables;

/// <summary>An iptables command failed; the proxy syncs again in full later.</summary>
public sealed class IptablesException : Exception
{
    public IptablesException()
    {
    }

    public IptablesException(string message)
        : base(message)
    {
    }

    public IptablesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
