using Flotilla.Storage.Sqlite;

// Usage: CrashWriter <db-path> <writers>. Prints "ack <key> <revision>" after each durable write, forever.
var store = SqliteStore.Open(new SqliteStoreOptions { Path = args[0] });
var writers = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var output = Console.Out;
var gate = new Lock();
await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var key = $"/registry/cm/w{w}/k{i}";
        var kv = await store.CreateAsync(key, System.Text.Encoding.UTF8.GetBytes($"{w}/{i}"));
        lock (gate)
        {
            output.WriteLine($"ack {key} {kv.ModRevision}");
            output.Flush();
        }
    }
})));
