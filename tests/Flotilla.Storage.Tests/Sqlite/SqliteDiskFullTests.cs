using System.Diagnostics;
using Flotilla.Storage.Sqlite;

namespace Flotilla.Storage.Tests.Sqlite;

/// <summary>A full disk fails writes with a clear error and loses nothing acknowledged (a real 2 MiB tmpfs; needs root).</summary>
public sealed class SqliteDiskFullTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private bool _mounted;

    public void Dispose()
    {
        if (_mounted)
        {
            // Lazy: the mount goes even if a failed assertion left a handle open.
            Run("umount", "--lazy", _dir.Path);
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task FullDisk_WriteFailsNamingTheCause_AcknowledgedWritesSurvive()
    {
        Assert.True(Environment.UserName == "root", "this test mounts a tmpfs and needs root (CI runs as root)");
        Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", _dir.Path);
        _mounted = true;
        var path = _dir.File("state.db");

        var acked = new List<KeyValue>();
        StoreException? failure = null;
        await using (var store = SqliteStore.Open(new SqliteStoreOptions { Path = path }))
        {
            var value = new byte[16 * 1024];
            for (var i = 0; i < 1000 && failure is null; i++)
            {
                try
                {
                    acked.Add(await store.CreateAsync($"/registry/cm/ns/k{i:D4}", value));
                }
                catch (StoreException e)
                {
                    failure = e;
                }
            }

            Assert.NotNull(failure);
            Assert.Equal(StoreError.Unavailable, failure.Error);
            Assert.Contains("disk is full", failure.Message, StringComparison.Ordinal);
            Assert.Equal(acked.Count, (await store.ListAsync("/registry/cm/", ListOptions.All)).Items.Count);
            Assert.Equal(acked[^1].ModRevision, await store.GetCurrentRevisionAsync());

            // Room freed: the store writes again, at the next revision.
            await store.DeleteAsync(acked[0].Key);
        }

        await using var reopened = SqliteStore.Open(new SqliteStoreOptions { Path = path });
        var listed = await reopened.ListAsync("/registry/cm/", ListOptions.All);
        Assert.Equal(acked.Skip(1).Select(kv => kv.Key), listed.Items.Select(kv => kv.Key));
    }

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {stderr}");
    }
}
