using Flotilla.Kubelet.Runtime.Hollow;

namespace Flotilla.Kubelet.Tests.Runtime;

public sealed class HollowScriptTests
{
    [Theory]
    [InlineData("exit 3", 3, 0.1)]
    [InlineData("echo hi; exit 0", 0, 0.1)]
    [InlineData("sleep 2", 0, 2.0)]
    [InlineData("sleep 5; exit 7", 7, 5.0)]
    [InlineData("exit 300", 44, 0.1)]  // exit codes are 8 bits, as a shell's
    public void ScriptsThatEnd_SayHowAndWhen(string script, int exitCode, double seconds)
    {
        var fate = HollowScript.Parse(["sh", "-c"], [script]).Fate(speed: 1);

        Assert.Equal((exitCode, TimeSpan.FromSeconds(seconds)), fate);
    }

    [Theory]
    [InlineData("sleep infinity")]
    [InlineData("while true; do sleep 5; done")]
    [InlineData("nginx -g 'daemon off;'")]
    public void ScriptsThatLoopOrServe_RunUntilStopped(string script) =>
        Assert.Null(HollowScript.Parse(["sh", "-c", script], []).Fate(speed: 1));

    [Fact]
    public void SleepIsScaledBySpeed() =>
        Assert.Equal((0, TimeSpan.FromSeconds(1)), HollowScript.Parse(["sleep", "10"], []).Fate(speed: 10));

    [Theory]
    [InlineData("trap '' TERM; sleep infinity", true)]
    [InlineData("trap \"\" SIGTERM INT; while true; do sleep 1; done", true)]
    [InlineData("trap 'exit 0' TERM; sleep infinity", false)]
    [InlineData("sleep infinity", false)]
    public void IgnoringSigterm_NeedsAnEmptyTrap(string script, bool ignores) =>
        Assert.Equal(ignores, HollowScript.Parse(["sh", "-c", script], []).IgnoresTerm);

    [Fact]
    public void EchoPrints_AndEchoToAPath_WritesTheTerminationMessage()
    {
        var script = HollowScript.Parse(["sh", "-c", "echo ok; echo 'disk full' > /dev/termination-log; exit 1"], []);

        Assert.Equal(["ok"], script.Prints);
        Assert.Equal("disk full", script.MessageAt("/dev/termination-log"));
        Assert.Null(script.MessageAt("/tmp/other"));
    }
}
