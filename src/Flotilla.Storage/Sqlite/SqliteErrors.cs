using Microsoft.Data.Sqlite;

namespace Flotilla.Storage.Sqlite;

internal static class SqliteErrors
{
    // SQLite primary result codes (sqlite3.h).
    private const int Corrupt = 11;
    private const int CantOpen = 14;
    private const int Full = 13;
    private const int NotADatabase = 26;
    private const int ReadOnly = 8;
    private const int IoError = 10;

    public static StoreException Translate(SqliteException e, string path) => (e.SqliteErrorCode & 0xff) switch
    {
        NotADatabase => new(StoreError.Corrupt, $"{path} is not a Flotilla store: {e.Message}", inner: e),
        Corrupt => new(StoreError.Corrupt, $"{path} is corrupt: {e.Message}", inner: e),
        Full => new(StoreError.Unavailable, $"cannot write {path}: the disk is full", inner: e),
        CantOpen => new(StoreError.Unavailable, $"cannot open {path}: {e.Message}", inner: e),
        ReadOnly => new(StoreError.Unavailable, $"cannot write {path}: it is read-only", inner: e),
        IoError => new(StoreError.Unavailable, $"I/O error on {path}: {e.Message}", inner: e),
        _ => new(StoreError.Unavailable, $"store error on {path}: {e.Message}", inner: e),
    };
}
