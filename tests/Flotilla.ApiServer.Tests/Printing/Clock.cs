namespace Flotilla.ApiServer.Tests.Printing;

/// <summary>A fixed "now" for printer tests, and times relative to it.</summary>
internal static class Clock
{
    public static DateTimeOffset Now { get; } = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static DateTime Ago(TimeSpan age) => (Now - age).UtcDateTime;

    public static DateTime Ago(int days = 0, int hours = 0, int minutes = 0, int seconds = 0) =>
        Ago(new TimeSpan(days, hours, minutes, seconds));

    /// <summary>Upstream's tests stamp objects 1.9s in the future; that still reads "0s".</summary>
    public static DateTime JustCreated => (Now + TimeSpan.FromSeconds(1.9)).UtcDateTime;
}
