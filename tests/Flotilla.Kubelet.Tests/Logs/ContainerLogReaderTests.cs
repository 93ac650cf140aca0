using System.Text;
using Flotilla.Kubelet.Logs;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kubelet.Tests.Logs;

public sealed class ContainerLogReaderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);

    private static string Log(params (int Second, string Stream, string Tag, string Text)[] lines) =>
        string.Concat(lines.Select(l => $"{CriLogLine.FormatTime(T0.AddSeconds(l.Second))} {l.Stream} {l.Tag} {l.Text}\n"));

    private static readonly string Three = Log((0, "stdout", "F", "one"), (1, "stderr", "F", "two"), (2, "stdout", "F", "three"));

    [Theory]
    [InlineData(null, null, null, false, "one\ntwo\nthree\n")]
    [InlineData(2L, null, null, false, "two\nthree\n")]
    [InlineData(0L, null, null, false, "")]
    [InlineData(10L, null, null, false, "one\ntwo\nthree\n")]
    [InlineData(null, 6L, null, false, "one\ntw")]
    [InlineData(null, null, 1, false, "two\nthree\n")]
    [InlineData(1L, null, null, true, "2026-12-02T05:00:02.000000000Z three\n")]
    [InlineData(null, 35L, null, true, "2026-12-02T05:00:00.000000000Z one\n")]
    public async Task AppliesTheOptions(long? tail, long? limit, int? sinceSecond, bool timestamps, string expected)
    {
        var options = new ContainerLogOptions(TailLines: tail, LimitBytes: limit, SinceTime: sinceSecond is { } s ? T0.AddSeconds(s) : null, Timestamps: timestamps);
        Assert.Equal(expected, await CopyAsync(Three, options));
    }

    [Fact]
    public async Task JoinsPartialLinesAndSkipsWhatIsNotALogLine()
    {
        var log = Log((0, "stdout", "P", "hel"), (0, "stdout", "F", "lo")) + "garbage\n" + Log((1, "stdout", "F", "end"));
        Assert.Equal("hello\nend\n", await CopyAsync(log, new ContainerLogOptions()));
    }

    [Fact]
    public async Task FollowingReadsWhatIsAppendedUntilTheContainerEnds()
    {
        var time = new FakeTimeProvider(T0);
        var log = new GrowingStream();
        log.Append(Log((0, "stdout", "F", "first")));
        var running = true;
        using var output = new MemoryStream();
        var copy = ContainerLogReader.CopyAsync(log, new ContainerLogOptions(Follow: true), output, _ => Task.FromResult(running), time, CancellationToken.None);

        await WaitForAsync(() => output.Length == "first\n".Length);
        log.Append(Log((1, "stdout", "F", "second")));
        running = false;

        // The reader may not be waiting on its poll yet when the clock moves, so the clock moves until it ends.
        await WaitForAsync(() =>
        {
            time.Advance(ContainerLogReader.FollowPoll);
            return copy.IsCompleted;
        });
        await copy;
        Assert.Equal("first\nsecond\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task TheTailOfALogIsCutToSizeFromTheEnd()
    {
        var log = string.Concat(Enumerable.Range(0, 100).Select(i => Log((i, "stdout", "F", $"line {i}"))));
        var tail = await ContainerLogReader.TailAsync(new MemoryStream(Encoding.UTF8.GetBytes(log)), 80, 20, CancellationToken.None);
        Assert.Equal("line 98\nline 99\n", tail[^16..]);
        Assert.Equal(20, Encoding.UTF8.GetByteCount(tail));
    }

    private static async Task<string> CopyAsync(string log, ContainerLogOptions options)
    {
        using var output = new MemoryStream();
        await ContainerLogReader.CopyAsync(new MemoryStream(Encoding.UTF8.GetBytes(log)), options, output, _ => Task.FromResult(false), TimeProvider.System, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static async Task WaitForAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "not reached in 5 s");
            await Task.Delay(10);
        }
    }

    /// <summary>A log file being written: a read past the end returns nothing now and more later.</summary>
    private sealed class GrowingStream : Stream
    {
        private readonly Lock _lock = new();
        private readonly List<byte> _data = [];
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _data.Count;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public void Append(string text)
        {
            lock (_lock)
            {
                _data.AddRange(Encoding.UTF8.GetBytes(text));
            }
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                var n = Math.Min(count, _data.Count - _position);
                _data.CopyTo(_position, buffer, offset, n);
                _position += n;
                return n;
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
