namespace Flotilla.Kubelet.Volumes;

/// <summary>Upstream's hostPath type check (v1.32 messages): what must already be at the path, or be made there.</summary>
public static class HostPaths
{
    public static void Check(string path, string? type)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Split('/').Contains(".."))
        {
            throw new InvalidOperationException($"invalid HostPath `{path}`: must not contain '..'");
        }

        switch (type ?? string.Empty)
        {
            case "":
                return;
            case "DirectoryOrCreate":
                if (!Path.Exists(path))
                {
                    Directory.CreateDirectory(path, (UnixFileMode)Convert.ToInt32("755", 8));
                    return;
                }

                goto case "Directory";
            case "Directory":
                if (!Directory.Exists(path))
                {
                    throw new InvalidOperationException($"hostPath type check failed: {path} is not a directory");
                }

                return;
            case "FileOrCreate":
                if (!Path.Exists(path))
                {
                    using (File.Open(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = (UnixFileMode)Convert.ToInt32("644", 8) }))
                    {
                    }

                    return;
                }

                goto case "File";
            case "File":
                if (!Path.Exists(path) || Directory.Exists(path))
                {
                    throw new InvalidOperationException($"hostPath type check failed: {path} is not a file");
                }

                return;
            case "Socket":
                Expect(path, UnixKind.Socket, "a socket file");
                return;
            case "CharDevice":
                Expect(path, UnixKind.CharDevice, "a character device");
                return;
            case "BlockDevice":
                Expect(path, UnixKind.BlockDevice, "a block device");
                return;
            default:
                throw new InvalidOperationException($"{type} is an invalid volume type");
        }
    }

    private enum UnixKind
    {
        Socket,
        CharDevice,
        BlockDevice,
    }

    private static void Expect(string path, UnixKind kind, string what)
    {
        // stat's %F names the file type; .NET has no portable way to tell a socket from a device.
        var info = new FileInfo(path);
        var actual = !info.Exists && !Directory.Exists(path) ? null : FileType(path);
        var ok = kind switch
        {
            UnixKind.Socket => actual == "socket",
            UnixKind.CharDevice => actual == "character special file",
            _ => actual == "block special file",
        };
        if (!ok)
        {
            throw new InvalidOperationException($"hostPath type check failed: {path} is not {what}");
        }
    }

    private static string? FileType(string path)
    {
        var (code, output) = Node.HostCommand.Run("stat", "-L", "-c", "%F", path);
        return code == 0 ? output.Trim() : null;
    }
}
