using Flotilla.Kubelet.Volumes;

namespace Flotilla.Kubelet.Tests.Volumes;

public sealed class HostPathsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-hostpath-" + Guid.NewGuid().ToString("N")[..8]);

    public HostPathsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void OrCreate_Makes_TheOthersCheck_WithUpstreamsMessages()
    {
        var dir = Path.Combine(_dir, "made");
        HostPaths.Check(dir, "DirectoryOrCreate");
        Assert.True(Directory.Exists(dir));
        var file = Path.Combine(_dir, "file");
        HostPaths.Check(file, "FileOrCreate");
        Assert.True(File.Exists(file));
        HostPaths.Check(file, "File");
        HostPaths.Check(Path.Combine(_dir, "anything"), "");

        Assert.Equal($"hostPath type check failed: {file} is not a directory", Assert.Throws<InvalidOperationException>(() => HostPaths.Check(file, "Directory")).Message);
        Assert.Equal($"hostPath type check failed: {dir} is not a file", Assert.Throws<InvalidOperationException>(() => HostPaths.Check(dir, "File")).Message);
        Assert.Equal($"hostPath type check failed: {file} is not a socket file", Assert.Throws<InvalidOperationException>(() => HostPaths.Check(file, "Socket")).Message);
        Assert.Equal("hostPath type check failed: /dev/null is not a block device", Assert.Throws<InvalidOperationException>(() => HostPaths.Check("/dev/null", "BlockDevice")).Message);
        HostPaths.Check("/dev/null", "CharDevice");
    }
}
