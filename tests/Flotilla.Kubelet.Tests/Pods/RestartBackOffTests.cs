using Flotilla.Kubelet.Pods;

namespace Flotilla.Kubelet.Tests.Pods;

public sealed class RestartBackOffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheFirstRestartIsAtOnce_ThenTenSecondsDoubling_UpToFiveMinutes()
    {
        var backOff = new RestartBackOff(RestartBackOff.DefaultInitial, RestartBackOff.DefaultMax);
        Assert.False(backOff.Check("p/c", T0, T0).Waiting);
        backOff.Restarted("p/c", T0);

        var expected = new[] { 10, 20, 40, 80, 160, 300, 300 };
        var now = T0;
        foreach (var seconds in expected)
        {
            var finished = now;
            var (waiting, delay) = backOff.Check("p/c", finished, now.AddSeconds(seconds - 1));
            Assert.True(waiting);
            Assert.Equal(TimeSpan.FromSeconds(seconds), delay);
            now = now.AddSeconds(seconds);
            Assert.False(backOff.Check("p/c", finished, now).Waiting);
            backOff.Restarted("p/c", now);
        }
    }

    [Fact]
    public void TenQuietMinutes_StartTheBackOffAgain_AndForgottenPodsLoseTheirs()
    {
        var backOff = new RestartBackOff(RestartBackOff.DefaultInitial, RestartBackOff.DefaultMax);
        backOff.Restarted("p/c", T0);
        backOff.Restarted("p/c", T0);   // 20 s now
        Assert.True(backOff.Check("p/c", T0, T0.AddSeconds(15)).Waiting);

        Assert.False(backOff.Check("p/c", T0.AddMinutes(11), T0.AddMinutes(11)).Waiting);
        backOff.Restarted("p/c", T0.AddMinutes(11));
        Assert.Equal(TimeSpan.FromSeconds(10), backOff.Check("p/c", T0.AddMinutes(11), T0.AddMinutes(11)).Delay);

        backOff.Forget("p/");
        Assert.False(backOff.Check("p/c", T0.AddMinutes(11), T0.AddMinutes(11)).Waiting);
    }
}
