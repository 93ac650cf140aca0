using System.Threading.Channels;
using Flotilla.Storage.Watch;
using Microsoft.Data.Sqlite;

namespace Flotilla.Storage.Sqlite;

/// <summary>
/// Group commit: the one writer of the database. Writes queue up while a commit is in flight and the next commit takes
/// them all in one transaction and one fsync; each caller is answered only after its transaction is durable.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteStatements _sql;
    private readonly EventLog _events;
    private readonly int _maxBatch;
    private readonly Channel<IWriteOp> _queue = Channel.CreateUnbounded<IWriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _revision;
    private long _compacted;

    public SqliteWriter(SqliteConnection connection, EventLog events, long revision, long compacted, int maxBatch)
    {
        _connection = connection;
        _sql = new SqliteStatements(connection);
        _events = events;
        _revision = revision;
        _compacted = compacted;
        _maxBatch = maxBatch;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="apply"/> for the next commit and completes once that commit is durable.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteBatch, T> apply)
    {
        var op = new WriteOp<T>(apply);
        return _queue.Writer.TryWrite(op)
            ? op.Task
            : Task.FromException<T>(new StoreException(StoreError.Unavailable, "store is closed"));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _sql.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<IWriteOp>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var op))
            {
                batch.Add(op);
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<IWriteOp> ops)
    {
        var applied = new List<IWriteOp>(ops.Count);
        SqliteWriteBatch batch;
        try
        {
            using var tx = _connection.BeginTransaction();
            _sql.Transaction = tx;
            batch = new SqliteWriteBatch(_sql, _revision, _compacted);
            foreach (var op in ops)
            {
                if (op.Apply(batch))
                {
                    applied.Add(op);
                }
            }

            if (batch.Revision != _revision)
            {
                _sql.SetMeta("current_rev", batch.Revision);
            }

            tx.Commit();
        }
        catch (Exception e)
        {
            // Nothing of this batch is durable: fail every write in it, leave the counters as they were.
            var failure = e is SqliteException sqlite
                ? SqliteErrors.Translate(sqlite, _connection.DataSource)
                : new StoreException(StoreError.Unavailable, $"store write failed: {e.Message}", inner: e);
            foreach (var op in ops)
            {
                op.Fail(failure);
            }

            return;
        }
        finally
        {
            _sql.Transaction = null;
        }

        _revision = batch.Revision;
        if (batch.Compacted != _compacted)
        {
            _compacted = batch.Compacted;
            _events.MarkCompacted(_compacted);
        }

        _events.Publish(batch.Events);
        foreach (var op in applied)
        {
            op.Complete();
        }
    }

    private interface IWriteOp
    {
        /// <summary>Applies the write; false when its precondition failed (the op is already answered).</summary>
        bool Apply(SqliteWriteBatch batch);

        void Complete();

        void Fail(Exception e);
    }

    private sealed class WriteOp<T>(Func<SqliteWriteBatch, T> apply) : IWriteOp
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;

        public bool Apply(SqliteWriteBatch batch)
        {
            try
            {
                _result = apply(batch);
                return true;
            }
            catch (StoreException e)
            {
                _done.TrySetException(e);
                return false;
            }
        }

        public void Complete() => _done.TrySetResult(_result!);

        public void Fail(Exception e) => _done.TrySetException(e);
    }
}
