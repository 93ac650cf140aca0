using System.Net.Sockets;
using Grpc.Net.Client;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>A gRPC channel to a CRI runtime over its unix socket (HTTP/2 without TLS, authority <c>localhost</c>).</summary>
public static class CriChannel
{
    /// <summary>Upstream's kubelet allows 16 MiB answers (a ListContainers of a busy node is large).</summary>
    private const int MaxMessageBytes = 16 << 20;

    public static GrpcChannel ForSocket(string socket)
    {
        ArgumentException.ThrowIfNullOrEmpty(socket);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                    return new NetworkStream(unix, ownsSocket: true);
                }
                catch
                {
                    unix.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
        });
    }
}
