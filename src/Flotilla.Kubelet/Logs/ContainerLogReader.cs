using System.Text;

namespace Flotilla.Kubelet.Logs;

/// <summary>
/// Copies a container's log (CRI format, <see cref="CriLogLine"/>) to a client as upstream's ReadLogs does: the
/// content of each entry, optionally after its time; only the last <c>tailLines</c> entries, only those since
/// <c>sinceTime</c>, at most <c>limitBytes</c>; with <c>follow</c>, new entries as they are written until the
/// container has ended and its log is drained.
/// </summary>
public static class ContainerLogReader
{
    /// <summary>How often a followed log is looked at for more while its container runs.</summary>
    public static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    /// <param name="log">The log as written so far; a later read returns what was appended since (as a file does).</param>
    /// <param name="running">Whether the container still runs (a followed log ends when it does not).</param>
    public static async Task CopyAsync(Stream log, ContainerLogOptions options, Stream output, Func<CancellationToken, Task<bool>> running, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(running);
        var writer = new Writer(output, options);
        var lines = new LineSplitter(log);
        Queue<byte[]>? tail = options.TailLines is { } n ? new Queue<byte[]>() : null;

        // What is written already: the last N entries only, when asked.
        while (await lines.NextAsync(cancellationToken) is { } line)
        {
            if (tail is not null)
            {
                if (options.TailLines == 0)
                {
                    continue;
                }

                tail.Enqueue(line);
                if (tail.Count > options.TailLines)
                {
                    tail.Dequeue();
                }
            }
            else if (!await writer.WriteAsync(line, cancellationToken))
            {
                return;
            }
        }

        while (tail?.Count > 0)
        {
            if (!await writer.WriteAsync(tail.Dequeue(), cancellationToken))
            {
                return;
            }
        }

        if (!options.Follow)
        {
            return;
        }

        await output.FlushAsync(cancellationToken);
        while (true)
        {
            // Looked at before the read, so what the container wrote before it ended is never missed.
            var stillRunning = await running(cancellationToken);
            var wrote = false;
            while (await lines.NextAsync(cancellationToken) is { } line)
            {
                wrote = true;
                if (!await writer.WriteAsync(line, cancellationToken))
                {
                    return;
                }
            }

            if (!stillRunning)
            {
                return;
            }

            if (wrote)
            {
                await output.FlushAsync(cancellationToken);
            }

            await Task.Delay(FollowPoll, time, cancellationToken);
        }
    }

    /// <summary>The last entries of a log, for a termination message (FallbackToLogsOnError): at most so many lines and bytes.</summary>
    public static async Task<string> TailAsync(Stream log, int lines, int bytes, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        await CopyAsync(log, new ContainerLogOptions(TailLines: lines), output, _ => Task.FromResult(false), TimeProvider.System, cancellationToken);
        var all = output.GetBuffer().AsSpan(0, (int)output.Length);
        return Encoding.UTF8.GetString(all.Length > bytes ? all[^bytes..] : all);
    }

    /// <summary>Writes entries as the options say, until the byte limit: false once it is reached.</summary>
    private sealed class Writer(Stream output, ContainerLogOptions options)
    {
        private long _written;

        public async Task<bool> WriteAsync(byte[] raw, CancellationToken cancellationToken)
        {
            if (!CriLogLine.TryParse(raw, out var line) || (options.SinceTime is { } since && line.Time < since))
            {
                return true;
            }

            var text = line.Content;
            var prefix = options.Timestamps ? Encoding.ASCII.GetBytes(CriLogLine.FormatFixed(line.Time) + " ") : [];
            var newline = line.Partial ? 0 : 1;
            var length = prefix.Length + text.Length + newline;
            var room = options.LimitBytes is { } limit ? limit - _written : long.MaxValue;
            if (room <= 0)
            {
                return false;
            }

            var entry = new byte[length];
            prefix.CopyTo(entry, 0);
            text.CopyTo(entry.AsMemory(prefix.Length));
            if (newline == 1)
            {
                entry[^1] = (byte)'\n';
            }

            var part = (int)Math.Min(room, length);
            await output.WriteAsync(entry.AsMemory(0, part), cancellationToken);
            _written += part;
            return _written < (options.LimitBytes ?? long.MaxValue);
        }
    }

    /// <summary>Splits a growing log into lines; a line not yet ended waits for the rest.</summary>
    private sealed class LineSplitter(Stream log)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private readonly MemoryStream _pending = new();
        private int _start;
        private int _end;

        public async Task<byte[]?> NextAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    _pending.Write(_buffer, _start, newline - _start);
                    _start = newline + 1;
                    var line = _pending.ToArray();
                    _pending.SetLength(0);
                    return line;
                }

                _pending.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
                var read = await log.ReadAsync(_buffer, cancellationToken);
                if (read == 0)
                {
                    return null;
                }

                _end = read;
            }
        }
    }
}
