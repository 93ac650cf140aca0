using System.Text;
using Flotilla.ApiServer.Audit;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.ApiServer.Tests.Audit;

public sealed class RotatingFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("flotilla-rotating-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero));

    private string LogPath => Path.Combine(_dir.FullName, "audit.log");

    private static byte[] Line(int n) => Encoding.UTF8.GetBytes($"line-{n:D3}\n");  // 9 bytes

    private string[] Backups() => [.. Directory.GetFiles(_dir.FullName, "audit-*.log").Select(Path.GetFileName).Order()!];

    [Fact]
    public void Write_PastMaxSize_RenamesToTimestampedBackupAndStartsAnew()
    {
        using (var file = new RotatingFile(LogPath, maxBytes: 20, maxBackups: 3, _time))
        {
            file.Write(Line(1));
            file.Write(Line(2));
            _time.Advance(TimeSpan.FromSeconds(1));
            file.Write(Line(3));
        }

        Assert.Equal(["audit-2026-03-04T05-06-08.890.log"], Backups());
        Assert.Equal("line-001\nline-002\n", File.ReadAllText(Path.Combine(_dir.FullName, Backups()[0])));
        Assert.Equal("line-003\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void Write_ManyRotations_KeepsNewestBackups()
    {
        using (var file = new RotatingFile(LogPath, maxBytes: 9, maxBackups: 2, _time))
        {
            for (var i = 1; i <= 5; i++)
            {
                file.Write(Line(i));
                _time.Advance(TimeSpan.FromMinutes(1));
            }
        }

        var backups = Backups();
        Assert.Equal(2, backups.Length);
        Assert.Equal("line-003\n", File.ReadAllText(Path.Combine(_dir.FullName, backups[0])));
        Assert.Equal("line-004\n", File.ReadAllText(Path.Combine(_dir.FullName, backups[1])));
        Assert.Equal("line-005\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void Write_RotationsInTheSameMillisecond_NoBackupOverwritten()
    {
        using (var file = new RotatingFile(LogPath, maxBytes: 9, maxBackups: 0, _time))
        {
            for (var i = 1; i <= 4; i++)
            {
                file.Write(Line(i));
            }
        }

        Assert.Equal(3, Backups().Length);
        Assert.Equal(
            ["line-001\n", "line-002\n", "line-003\n"],
            Backups().Select(b => File.ReadAllText(Path.Combine(_dir.FullName, b))));
    }

    [Fact]
    public void Write_ExistingFile_AppendsAndCountsItsSize()
    {
        File.WriteAllText(LogPath, "old-line\n");
        using (var file = new RotatingFile(LogPath, maxBytes: 20, maxBackups: 1, _time))
        {
            file.Write(Line(1));
            file.Write(Line(2));
        }

        Assert.Equal("old-line\nline-001\n", File.ReadAllText(Path.Combine(_dir.FullName, Assert.Single(Backups()))));
        Assert.Equal("line-002\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void Write_NewFile_OwnerOnly()
    {
        using (var file = new RotatingFile(Path.Combine(_dir.FullName, "nested", "audit.log"), 100, 1, _time))
        {
            file.Write(Line(1));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir.FullName, "nested", "audit.log")));
    }

    [Fact]
    public void Write_LineLargerThanMaxSize_Throws()
    {
        using var file = new RotatingFile(LogPath, maxBytes: 5, maxBackups: 1, _time);
        var error = Assert.Throws<IOException>(() => file.Write(Line(1)));
        Assert.Equal("write length 9 exceeds maximum file size 5", error.Message);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
