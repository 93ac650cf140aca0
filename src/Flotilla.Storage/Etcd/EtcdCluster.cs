using System.Globalization;
using System.Text.Json;

namespace Flotilla.Storage.Etcd;

/// <summary>One member of a managed etcd cluster: its name, data dir and loopback URLs.</summary>
public sealed record EtcdMember(string Name, string DataDir, string ClientUrl, string PeerUrl);

/// <summary>
/// A managed etcd cluster of N members for <c>up --store etcd</c> without endpoints (k3s' embedded etcd, one
/// machine): Debian's etcd, each member a child process on loopback ports, data under <c>DIR/etcd/&lt;member&gt;</c>.
/// The members and ports are chosen at the first start (below the ephemeral range, so no outgoing connection takes
/// one meanwhile) and kept in <c>DIR/etcd/cluster.json</c>, so a restart finds the same cluster (members with data
/// rejoin it). Stopping sends SIGTERM to every member.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private readonly List<EtcdProcess> _members;

    private EtcdCluster(List<EtcdProcess> members, IReadOnlyList<string> endpoints)
    {
        _members = members;
        Endpoints = endpoints;
    }

    /// <summary>The members' client URLs.</summary>
    public IReadOnlyList<string> Endpoints { get; }

    public static async Task<EtcdCluster> StartAsync(string dir, int size, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        Directory.CreateDirectory(dir);
        var layout = Path.Combine(dir, "cluster.json");
        Layout cluster;
        if (File.Exists(layout))
        {
            cluster = JsonSerializer.Deserialize<Layout>(await File.ReadAllTextAsync(layout, cancellationToken))
                ?? throw new StoreException(StoreError.Corrupt, $"{layout} is empty");
            if (cluster.Members.Count != size)
            {
                throw new StoreException(StoreError.Unavailable, $"the etcd cluster in {dir} has {cluster.Members.Count} members, not {size}: reset the data dir to change it");
            }
        }
        else
        {
            var ports = EtcdProcess.KeptPorts(2 * size);
            cluster = new Layout($"flotilla-{Guid.NewGuid():N}", [.. Enumerable.Range(1, size).Select(i => new EtcdMember(
                $"member-{i.ToString(CultureInfo.InvariantCulture)}", Path.Combine(dir, $"member-{i.ToString(CultureInfo.InvariantCulture)}"),
                $"http://127.0.0.1:{ports[2 * (i - 1)].ToString(CultureInfo.InvariantCulture)}", $"http://127.0.0.1:{ports[(2 * i) - 1].ToString(CultureInfo.InvariantCulture)}"))]);
            await File.WriteAllTextAsync(layout, JsonSerializer.Serialize(cluster), cancellationToken);
        }

        var initial = string.Join(',', cluster.Members.Select(m => $"{m.Name}={m.PeerUrl}"));

        // All at once: a member serves only when a quorum is up.
        var starting = cluster.Members.Select(m => EtcdProcess.StartMemberAsync(m, initial, cluster.Token, Directory.Exists(m.DataDir) ? "existing" : "new", cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        return new EtcdCluster([.. starting.Select(t => t.Result)], [.. cluster.Members.Select(m => m.ClientUrl)]);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_members.Select(m => m.StopAsync()));
    }

    /// <summary>The client URLs of the cluster kept in <paramref name="dir"/>, or none.</summary>
    public static IReadOnlyList<string> KeptEndpoints(string dir)
    {
        var layout = Path.Combine(dir, "cluster.json");
        return File.Exists(layout) && JsonSerializer.Deserialize<Layout>(File.ReadAllText(layout)) is { } cluster
            ? [.. cluster.Members.Select(m => m.ClientUrl)]
            : [];
    }

    private sealed record Layout(string Token, List<EtcdMember> Members);
}
