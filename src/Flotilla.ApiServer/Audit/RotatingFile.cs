using System.Globalization;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// An append-only file rotated by size, as kube-apiserver's log backend does it (lumberjack): a write that would
/// take the file past the limit first renames it to <c>audit-2006-01-02T15-04-05.000.log</c> (UTC) and starts a
/// new one; only the newest <c>maxBackups</c> backups are kept (0 keeps all). Files are created 0600: the log names
/// every user and object.
/// </summary>
public sealed class RotatingFile : IAuditLogTarget
{
    private const string StampFormat = "yyyy-MM-dd'T'HH-mm-ss.fff";
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _maxBackups;
    private readonly TimeProvider _time;
    private FileStream? _stream;
    private long _size;

    public RotatingFile(string path, long maxBytes, int maxBackups, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBackups);
        ArgumentNullException.ThrowIfNull(time);
        _path = Path.GetFullPath(path);
        _maxBytes = maxBytes;
        _maxBackups = maxBackups;
        _time = time;
    }

    public void Write(ReadOnlySpan<byte> line)
    {
        if (line.Length > _maxBytes)
        {
            throw new IOException($"write length {line.Length} exceeds maximum file size {_maxBytes}");
        }

        try
        {
            _stream ??= Open();
            if (_size + line.Length > _maxBytes)
            {
                Rotate();
            }

            _stream!.Write(line);
            _size += line.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Start again from a fresh open on the next write (the disk may have recovered).
            Close();
            throw e as IOException ?? new IOException(e.Message, e);
        }
    }

    public void Flush() => _stream?.Flush();

    public void Dispose() => Close();

    private FileStream Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var stream = new FileStream(_path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 64 * 1024,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        _size = stream.Length;
        return stream;
    }

    private void Rotate()
    {
        Close();
        File.Move(_path, BackupPath());
        _stream = Open();
        Prune();
    }

    private void Close()
    {
        try
        {
            _stream?.Dispose();
        }
        finally
        {
            _stream = null;
        }
    }

    private string BackupPath()
    {
        var stamp = _time.GetUtcNow().UtcDateTime;
        while (true)
        {
            var backup = Path.Combine(Path.GetDirectoryName(_path)!, $"{Stem}-{stamp.ToString(StampFormat, CultureInfo.InvariantCulture)}{Extension}");
            if (!File.Exists(backup))
            {
                return backup;
            }

            stamp = stamp.AddMilliseconds(1);
        }
    }

    private void Prune()
    {
        if (_maxBackups == 0)
        {
            return;
        }

        var prefix = Stem + "-";
        var backups = Directory.EnumerateFiles(Path.GetDirectoryName(_path)!, prefix + "*" + Extension)
            .Select(f => (Path: f, Stamp: Path.GetFileName(f)[prefix.Length..^Extension.Length]))
            .Where(b => DateTime.TryParseExact(b.Stamp, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .OrderByDescending(b => b.Stamp, StringComparer.Ordinal)
            .Skip(_maxBackups);
        foreach (var backup in backups)
        {
            File.Delete(backup.Path);
        }
    }

    private string Stem => Path.GetFileNameWithoutExtension(_path);

    private string Extension => Path.GetExtension(_path);
}
