namespace Flotilla.ApiServer.Audit;

/// <summary>An audit policy file that cannot be used; the message says why, as kube-apiserver's does.</summary>
public sealed class AuditPolicyException : Exception
{
    public AuditPolicyException()
    {
    }

    public AuditPolicyException(string message)
        : base(message)
    {
    }

    public AuditPolicyException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
