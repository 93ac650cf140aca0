using System.Globalization;
using System.Runtime.InteropServices;

namespace Flotilla.Kubelet.Volumes;

/// <summary>A file a configMap, secret, downwardAPI or projected volume holds: its bytes and mode.</summary>
public sealed record VolumeFile(byte[] Data, int Mode);

/// <summary>
/// Upstream's AtomicWriter: a volume's files live in a <c>..&lt;UTC time&gt;.&lt;random&gt;</c> dir that the
/// <c>..data</c> symlink names, and each top-level name is a symlink into <c>..data</c>; a new payload is written to a
/// new dir and <c>..data</c> swapped by rename, so readers see the old files or the new ones, never a mix. An unchanged
/// payload writes nothing.
/// </summary>
public static partial class AtomicWriter
{
    private const string DataDir = "..data";
    private const string DataTemp = "..data_tmp";

    /// <returns>Whether anything was written.</returns>
    public static bool Write(string dir, IReadOnlyDictionary<string, VolumeFile> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        foreach (var path in payload.Keys)
        {
            Validate(path);
        }

        Directory.CreateDirectory(dir);
        var dataLink = Path.Combine(dir, DataDir);
        var old = File.Exists(dataLink) || Directory.Exists(dataLink) ? new FileInfo(dataLink).LinkTarget : null;
        var oldDir = old is null ? null : Path.Combine(dir, old);
        if (oldDir is not null && Directory.Exists(oldDir) && Same(oldDir, payload))
        {
            LinkTopLevel(dir, payload.Keys);
            return false;
        }

        var stamp = DateTime.UtcNow.ToString("..yyyy_MM_dd_HH_mm_ss.", CultureInfo.InvariantCulture) + Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        var target = Path.Combine(dir, stamp);
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, (UnixFileMode)Convert.ToInt32("755", 8));
        foreach (var (path, file) in payload)
        {
            var full = Path.Combine(target, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, file.Data);
            File.SetUnixFileMode(full, (UnixFileMode)file.Mode);
        }

        var temp = Path.Combine(dir, DataTemp);
        File.Delete(temp);
        File.CreateSymbolicLink(temp, stamp);
        if (Rename(temp, dataLink) != 0)
        {
            throw new IOException($"renaming {temp} to {dataLink}: errno {Marshal.GetLastPInvokeError()}");
        }

        LinkTopLevel(dir, payload.Keys);

        // Top-level names the new payload no longer has go; then the old files.
        var wanted = payload.Keys.Select(TopLevel).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(entry);
            if (!name.StartsWith("..", StringComparison.Ordinal) && !wanted.Contains(name) && new FileInfo(entry).LinkTarget is not null)
            {
                File.Delete(entry);
            }
        }

        if (oldDir is not null && Directory.Exists(oldDir) && oldDir != target)
        {
            Directory.Delete(oldDir, recursive: true);
        }

        return true;
    }

    /// <summary>Upstream's validatePath: relative, no <c>..</c> element, at most 4096 characters and 255 per name.</summary>
    public static void Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new InvalidOperationException($"invalid path: must not be empty: \"{path}\"");
        }

        if (path.StartsWith('/'))
        {
            throw new InvalidOperationException($"invalid path: must be relative path: {path}");
        }

        if (path.Length > 4096)
        {
            throw new InvalidOperationException("invalid path: must be less than or equal to 4096 characters");
        }

        var parts = path.Split('/');
        if (parts.Any(p => p.Length > 255))
        {
            throw new InvalidOperationException("invalid path: filenames must be less than or equal to 255 characters");
        }

        if (parts.Contains(".."))
        {
            throw new InvalidOperationException($"invalid path: must not contain '..': {path}");
        }

        if (path.StartsWith("..", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"invalid path: must not start with '..': {path}");
        }
    }

    private static string TopLevel(string path) => path.Split('/')[0];

    private static void LinkTopLevel(string dir, IEnumerable<string> paths)
    {
        foreach (var top in paths.Select(TopLevel).Distinct(StringComparer.Ordinal))
        {
            var link = Path.Combine(dir, top);
            if (new FileInfo(link).LinkTarget is null && !File.Exists(link) && !Directory.Exists(link))
            {
                File.CreateSymbolicLink(link, Path.Combine(DataDir, top));
            }
        }
    }

    private static bool Same(string dir, IReadOnlyDictionary<string, VolumeFile> payload)
    {
        var existing = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).ToHashSet(StringComparer.Ordinal);
        if (!existing.SetEquals(payload.Keys))
        {
            return false;
        }

        return payload.All(p => File.GetUnixFileMode(Path.Combine(dir, p.Key)) == (UnixFileMode)p.Value.Mode && File.ReadAllBytes(Path.Combine(dir, p.Key)).AsSpan().SequenceEqual(p.Value.Data));
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string oldPath, string newPath);
}
