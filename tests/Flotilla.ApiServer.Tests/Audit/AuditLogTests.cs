using System.Text;
using Flotilla.ApiServer.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.ApiServer.Tests.Audit;

public sealed class AuditLogTests
{
    [Fact]
    public async Task DisposeAsync_AfterConcurrentPosts_EveryLineWrittenWhole()
    {
        var target = new MemoryTarget();
        var log = new AuditLog(target, NullLogger.Instance, TimeProvider.System);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                await log.PostAsync(AuditLine.Copy(Encoding.UTF8.GetBytes($"{{\"w\":{w},\"i\":{i}}}\n")));
            }
        })));
        await log.DisposeAsync();

        var lines = target.Lines;
        Assert.Equal(40_000, lines.Count);
        Assert.Equal(40_000, lines.Distinct().Count());
        Assert.All(lines, l => Assert.EndsWith("}\n", l, StringComparison.Ordinal));

        // Batched: far fewer flushes than lines.
        Assert.InRange(target.Flushes, 1, 20_000);
    }

    [Fact]
    public async Task PostAsync_TargetFailing_DropsWithoutThrowing_ThenRecovers()
    {
        var target = new MemoryTarget { Fail = true };
        var log = new AuditLog(target, NullLogger.Instance, TimeProvider.System);
        var errors = AuditMetrics.Errors.Value;
        await log.PostAsync(AuditLine.Copy("lost\n"u8));
        await WaitAsync(() => AuditMetrics.Errors.Value > errors);
        target.Fail = false;
        await log.PostAsync(AuditLine.Copy("kept\n"u8));
        await log.DisposeAsync();

        Assert.Equal(["kept\n"], target.Lines);
    }

    [Fact]
    public async Task PostAsync_AfterDispose_Dropped()
    {
        var target = new MemoryTarget();
        var log = new AuditLog(target, NullLogger.Instance, TimeProvider.System);
        await log.DisposeAsync();
        await log.PostAsync(AuditLine.Copy("late\n"u8));
        Assert.Empty(target.Lines);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }
}
