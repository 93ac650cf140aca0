using System.Diagnostics;
using Flotilla.Storage.Sqlite;

namespace Flotilla.Storage.Tests.Sqlite;

/// <summary>A writer killed with SIGKILL in the middle of concurrent writes loses no acknowledged write.</summary>
public sealed class SqliteCrashTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KilledWriter_LosesNoAcknowledgedWrite_AndFileStaysReadable()
    {
        var path = _dir.File("state.db");
        var writer = Path.Combine(AppContext.BaseDirectory, "Flotilla.Storage.CrashWriter.dll");
        Assert.True(File.Exists(writer), $"crash writer not built at {writer}");

        var acked = new Dictionary<string, long>();
        using (var child = Process.Start(new ProcessStartInfo("dotnet", [writer, path, "16"]) { RedirectStandardOutput = true })!)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (acked.Count < 3000 && await child.StandardOutput.ReadLineAsync(cts.Token) is { } line)
                {
                    var parts = line.Split(' ');
                    acked[parts[1]] = long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            finally
            {
                child.Kill(entireProcessTree: true);  // SIGKILL, mid-write: the writers never stop on their own
                await child.WaitForExitAsync();
            }
        }

        Assert.True(acked.Count >= 3000, $"writer acknowledged only {acked.Count} writes before the deadline");
        await using var store = SqliteStore.Open(new SqliteStoreOptions { Path = path });
        var listed = (await store.ListAsync("/registry/cm/", ListOptions.All)).Items.ToDictionary(kv => kv.Key, kv => kv.ModRevision);
        var lost = acked.Where(a => !listed.TryGetValue(a.Key, out var rev) || rev != a.Value).Select(a => a.Key).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes lost, e.g. {string.Join(", ", lost.Take(5))}");
        Assert.True(await store.GetCurrentRevisionAsync() >= acked.Values.Max());
        var next = await store.CreateAsync("/registry/cm/after-crash", [1]);
        Assert.Equal(listed.Count + 1, (await store.ListAsync("/registry/cm/", ListOptions.All)).Items.Count);
        Assert.True(next.ModRevision > acked.Values.Max());
    }
}
