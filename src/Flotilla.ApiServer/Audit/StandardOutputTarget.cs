namespace Flotilla.ApiServer.Audit;

/// <summary>Audit lines on standard output (<c>--audit-log-path -</c>, as kube-apiserver): never rotated.</summary>
public sealed class StandardOutputTarget : IAuditLogTarget
{
    private readonly Stream _stdout = Console.OpenStandardOutput();

    public void Write(ReadOnlySpan<byte> line) => _stdout.Write(line);

    public void Flush() => _stdout.Flush();

    public void Dispose() => _stdout.Flush();
}
