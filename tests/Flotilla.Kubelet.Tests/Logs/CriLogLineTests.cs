using System.Text;
using Flotilla.Kubelet.Logs;

namespace Flotilla.Kubelet.Tests.Logs;

public sealed class CriLogLineTests
{
    [Theory]
    [InlineData("2016-10-06T00:17:09.669794202Z stdout F log content 1", "stdout", false, "log content 1")]
    [InlineData("2016-10-06T00:17:09.669794202Z stderr P partial", "stderr", true, "partial")]
    [InlineData("2016-10-06T00:17:09.669794202Z stdout F:x tagged", "stdout", false, "tagged")]
    [InlineData("2016-10-06T00:17:09.669794202Z stdout F ", "stdout", false, "")]
    public void ParsesTheCriFormat(string text, string stream, bool partial, string content)
    {
        Assert.True(CriLogLine.TryParse(Encoding.UTF8.GetBytes(text), out var line));
        Assert.Equal(stream, line.Stream);
        Assert.Equal(partial, line.Partial);
        Assert.Equal(content, Encoding.UTF8.GetString(line.Content.Span));
        Assert.Equal(new DateTimeOffset(2016, 10, 6, 0, 17, 9, TimeSpan.Zero).AddTicks(6697942), line.Time);
    }

    [Theory]
    [InlineData("not a log line")]
    [InlineData("2016-10-06T00:17:09Z stdin F what")]
    [InlineData("")]
    public void RefusesWhatIsNotInIt(string text) =>
        Assert.False(CriLogLine.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void FormatsTimesAsGoDoes()
    {
        var time = new DateTimeOffset(2026, 12, 2, 5, 6, 7, TimeSpan.Zero).AddTicks(1234500);
        Assert.Equal("2026-12-02T05:06:07.12345Z", CriLogLine.FormatTime(time));
        Assert.Equal("2026-12-02T05:06:07.123450000Z", CriLogLine.FormatFixed(time));
        Assert.Equal("2026-12-02T05:06:07Z", CriLogLine.FormatTime(time.AddTicks(-1234500)));
        Assert.Equal("2026-12-02T05:06:07.12345Z stdout F hi\n", CriLogLine.Format(time, "stdout", "hi"));
    }
}
