namespace Flotilla.ApiServer.Bootstrap;

/// <summary>Whether start-up work is done; /readyz answers ok only after it (components start behind readiness gates).</summary>
public sealed class Readiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
