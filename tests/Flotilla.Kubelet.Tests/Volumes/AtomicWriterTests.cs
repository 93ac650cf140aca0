using System.Text;
using Flotilla.Kubelet.Volumes;

namespace Flotilla.Kubelet.Tests.Volumes;

/// <summary>Upstream's AtomicWriter layout on a real temp dir: ..data, the timestamped dir, top-level links, in-place updates.</summary>
public sealed class AtomicWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-atomic-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static Dictionary<string, VolumeFile> Payload(params (string Path, string Text, int Mode)[] files) =>
        files.ToDictionary(f => f.Path, f => new VolumeFile(Encoding.UTF8.GetBytes(f.Text), f.Mode));

    [Fact]
    public void Files_AreReadThroughLinks_UpdatedByASwap_AndGoneKeysLoseTheirLinks()
    {
        Assert.True(AtomicWriter.Write(_dir, Payload(("greeting", "hello", 420), ("conf/app.yaml", "a: 1", 384))));
        Assert.Equal("hello", File.ReadAllText(Path.Combine(_dir, "greeting")));
        Assert.Equal("a: 1", File.ReadAllText(Path.Combine(_dir, "conf", "app.yaml")));
        Assert.Equal("..data/greeting", new FileInfo(Path.Combine(_dir, "greeting")).LinkTarget);
        var first = new FileInfo(Path.Combine(_dir, "..data")).LinkTarget!;
        Assert.Matches(@"^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$", first);
        Assert.Equal((UnixFileMode)384, File.GetUnixFileMode(Path.Combine(_dir, first, "conf", "app.yaml")));

        Assert.False(AtomicWriter.Write(_dir, Payload(("greeting", "hello", 420), ("conf/app.yaml", "a: 1", 384))));
        Assert.Equal(first, new FileInfo(Path.Combine(_dir, "..data")).LinkTarget);

        Assert.True(AtomicWriter.Write(_dir, Payload(("greeting", "bonjour", 420))));
        Assert.Equal("bonjour", File.ReadAllText(Path.Combine(_dir, "greeting")));
        Assert.False(Path.Exists(Path.Combine(_dir, "conf")));
        Assert.False(Directory.Exists(Path.Combine(_dir, first)));
    }

    [Theory]
    [InlineData("/abs", "invalid path: must be relative path: /abs")]
    [InlineData("a/../b", "invalid path: must not contain '..': a/../b")]
    [InlineData("..hidden", "invalid path: must not start with '..': ..hidden")]
    public void BadPaths_AreRefused(string path, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidOperationException>(() => AtomicWriter.Validate(path)).Message);
}
