namespace Flotilla.E2E.Tests;

/// <summary>The end-to-end tests' waits and kubectl calls that must succeed.</summary>
internal static class Eventually
{
    /// <summary>Reads until <paramref name="done"/> holds, every 250 ms, failing after <paramref name="seconds"/> with the last value.</summary>
    public static async Task<string> WaitForAsync(Func<Task<string>> read, Func<string, bool> done, int seconds = 60)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        string value;
        while (!done(value = await read()))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached in {seconds} s; last: {value}");
            await Task.Delay(250);
        }

        return value;
    }

    /// <summary>kubectl against the cluster of <paramref name="dataDir"/>, which must exit 0; its trimmed output.</summary>
    public static async Task<string> KubectlOkAsync(string dataDir, params string[] args)
    {
        var (code, stdout, stderr) = await FlotillaProcess.KubectlAsync(dataDir, null, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout.Trim();
    }
}
