using Flotilla.Client;
using Flotilla.Client.Tests;
using k8s;

namespace Flotilla.Kubelet.Tests.Testing;

/// <summary>
/// A real HTTPS API server on 127.0.0.1 with an admin client for the test and a client under node <c>n1</c>'s own
/// certificate for the kubelet (NodeRestriction and the Node authorizer apply): each test class gets its own.
/// </summary>
public abstract class NodeCluster : IAsyncLifetime
{
    private TestApiServer _server = null!;

    protected Kubernetes Admin { get; private set; } = null!;

    protected Kubernetes Node { get; private set; } = null!;

    /// <summary>The API server's address.</summary>
    protected Uri Address => _server.Address;

    /// <summary>The cluster's certificates.</summary>
    protected Flotilla.ApiServer.Auth.ClusterPki Pki => _server.Pki!;

    public virtual async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(tls: true);
        Admin = ClusterClients.ForServer(_server.Address, _server.Pki!.Ca, _server.Pki.Admin);
        Node = ClusterClients.ForServer(_server.Address, _server.Pki.Ca, _server.Pki.Node("n1", TimeProvider.System));
    }

    public virtual async Task DisposeAsync()
    {
        Node.Dispose();
        Admin.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Reads until <paramref name="done"/> holds (20 s at most; not found yet counts as not done).</summary>
    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        T last = default!;
        while (true)
        {
            try
            {
                last = await read();
                if (done(last))
                {
                    return last;
                }
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not reached in 20 s; last: {(last is null ? "(none)" : KubernetesJson.Serialize(last))}");
            }

            await Task.Delay(100);
        }
    }
}
