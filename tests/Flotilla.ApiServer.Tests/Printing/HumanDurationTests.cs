using Flotilla.ApiServer.Printing;

namespace Flotilla.ApiServer.Tests.Printing;

public sealed class HumanDurationTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Sec = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Min = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Year = 365 * Day;

    // apimachinery's TestHumanDuration and TestHumanDurationBoundaries, case for case.
    public static TheoryData<TimeSpan, string> Upstream => new()
    {
        { Sec, "1s" },
        { 70 * Sec, "70s" },
        { 190 * Sec, "3m10s" },
        { 70 * Min, "70m" },
        { 47 * Hour, "47h" },
        { 49 * Hour, "2d1h" },
        { ((8 * 24) + 2) * Hour, "8d" },
        { 367 * 24 * Hour, "367d" },
        { ((365 * 2 * 24) + 25) * Hour, "2y1d" },
        { ((365 * 8 * 24) + 2) * Hour, "8y" },
        { -2 * Sec, "<invalid>" },
        { (-2 * Sec) + TimeSpan.FromTicks(1), "0s" },
        { TimeSpan.Zero, "0s" },
        { Sec - Ms, "0s" },
        { (2 * Min) - Ms, "119s" },
        { 2 * Min, "2m" },
        { (2 * Min) + Sec, "2m1s" },
        { (10 * Min) - Ms, "9m59s" },
        { 10 * Min, "10m" },
        { (10 * Min) + Sec, "10m" },
        { (3 * Hour) - Ms, "179m" },
        { 3 * Hour, "3h" },
        { (3 * Hour) + Min, "3h1m" },
        { (8 * Hour) - Ms, "7h59m" },
        { 8 * Hour, "8h" },
        { (8 * Hour) + (59 * Min), "8h" },
        { (2 * Day) - Ms, "47h" },
        { 2 * Day, "2d" },
        { (8 * Day) - Ms, "7d23h" },
        { 8 * Day, "8d" },
        { (8 * Day) + (23 * Hour), "8d" },
        { (2 * Year) - Ms, "729d" },
        { 2 * Year, "2y" },
        { (2 * Year) + (23 * Hour), "2y" },
        { (2 * Year) + (23 * Hour) + (59 * Min), "2y" },
        { (2 * Year) + Day - Ms, "2y" },
        { (2 * Year) + Day, "2y1d" },
        { 3 * Year, "3y" },
        { 7 * Year, "7y" },
        { (8 * Year) - Ms, "7y364d" },
        { 8 * Year, "8y" },
        { (8 * Year) + (364 * Day), "8y" },
        { 9 * Year, "9y" },
    };

    [Theory]
    [MemberData(nameof(Upstream))]
    public void Format_UpstreamCases_MatchApimachinery(TimeSpan duration, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(duration));

    // The printers' TestTranslateTimestampSince: ages of creation timestamps.
    [Theory]
    [InlineData(-2.1, "<invalid>")]
    [InlineData(-1.9, "0s")]
    [InlineData(30, "30s")]
    [InlineData(300, "5m")]
    [InlineData(6000, "100m")]
    [InlineData(2 * 86400, "2d")]
    [InlineData(90 * 86400, "90d")]
    public void Format_AgesInSeconds_ReadLikeKubectl(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
