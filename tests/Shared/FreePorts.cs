using System.Net;
using System.Net.Sockets;

namespace Flotilla.Tests.Shared;

/// <summary>Ports on 127.0.0.1 free for TCP (and, as the kernel hands them out, for UDP too), all different.</summary>
internal static class FreePorts
{
    public static int One() => Take(1)[0];

    /// <summary><paramref name="count"/> ports, all held while chosen so none comes twice.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
    }
}
