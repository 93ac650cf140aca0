using Flotilla.Storage.Etcd;

namespace Flotilla.Storage.Tests.Etcd;

/// <summary>One real etcd member per test class, in a temporary directory removed afterwards.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"flotilla-etcd-{Guid.NewGuid():N}");
    private EtcdProcess? _etcd;

    public string ClientUrl => _etcd?.ClientUrl ?? throw new InvalidOperationException("etcd not started");

    /// <summary>A store over this etcd that sees only its own keys.</summary>
    public EtcdStore CreateStore() =>
        new(new EtcdStoreOptions { Endpoints = [ClientUrl], KeyPrefix = $"/t-{Guid.NewGuid():N}" });

    public async Task InitializeAsync() => _etcd = await EtcdProcess.StartAsync(_dataDir);

    public async Task DisposeAsync()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
