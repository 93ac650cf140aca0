using k8s;

namespace Flotilla.Client.Tests;

/// <summary>One real API server (SQLite in a temp dir) shared by a test class; tests keep apart by namespace.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private TestApiServer? _server;

    public Kubernetes Client { get; private set; } = null!;

    public TestApiServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Address.ToString() });
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
