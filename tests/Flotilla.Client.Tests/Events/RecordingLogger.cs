using Microsoft.Extensions.Logging;

namespace Flotilla.Client.Tests.Events;

/// <summary>A logger that keeps what is logged, so a test can wait for a line (with a deadline).</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get { lock (_gate) { return [.. _entries]; } }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _entries.Add((logLevel, formatter(state, exception)));
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public async Task<string> WaitForAsync(LogLevel level, string contains, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                foreach (var entry in _entries)
                {
                    if (entry.Level == level && entry.Message.Contains(contains, StringComparison.Ordinal))
                    {
                        return entry.Message;
                    }
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no {level} line with '{contains}' within {timeout}; logged: {string.Join(" | ", Entries.Select(e => $"{e.Level}: {e.Message}"))}");
            }
        }
    }
}
