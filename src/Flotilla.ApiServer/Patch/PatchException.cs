namespace Flotilla.ApiServer.Patch;

/// <summary>
/// A patch that cannot be applied. The message follows upstream's wording (evanphx/json-patch for JSON patch,
/// apimachinery's strategicpatch for strategic merge patch) because kube-apiserver returns it verbatim to the client.
/// </summary>
public sealed class PatchException : Exception
{
    public PatchException()
    {
    }

    public PatchException(string message)
        : base(message)
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
