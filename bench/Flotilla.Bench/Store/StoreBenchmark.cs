using System.CommandLine;
using System.Security.Cryptography;
using Flotilla.Storage;
using Flotilla.Storage.Encryption;
using Flotilla.Storage.Etcd;
using Flotilla.Storage.Sqlite;

namespace Flotilla.Bench.Store;

/// <summary>
/// <c>store</c>: the embedded SQLite store against a real etcd (started here, on loopback, data on the same disk),
/// same workload, side by side; and SQLite again with every value encrypted at rest (aesgcm), for the cost of encryption.
/// </summary>
public static class StoreBenchmark
{
    public static Command Command()
    {
        var writers = new Option<int>("--writers") { Description = "Concurrent writers", DefaultValueFactory = _ => 64 };
        var ops = new Option<int>("--ops") { Description = "Durable writes in all", DefaultValueFactory = _ => 20000 };
        var valueBytes = new Option<int>("--value-bytes") { Description = "Bytes per value", DefaultValueFactory = _ => 1024 };
        var listKeys = new Option<int>("--list-keys") { Description = "Keys in the list measurement", DefaultValueFactory = _ => 10000 };
        var dir = new Option<string>("--dir") { Description = "Where the stores' data goes (default: a temp dir, removed after)" };
        var command = new Command("store", "SQLite group commit vs real etcd: durable writes/s, latency, list, watch") { writers, ops, valueBytes, listKeys, dir };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            new StoreWorkload(parsed.GetValue(writers), parsed.GetValue(ops), parsed.GetValue(valueBytes), parsed.GetValue(listKeys)),
            parsed.GetValue(writers),
            parsed.GetValue(listKeys),
            parsed.GetValue(dir),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(StoreWorkload workload, int writers, int listKeys, string? dir, CancellationToken cancellationToken)
    {
        var root = dir ?? Path.Combine(Path.GetTempPath(), "flotilla-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            StoreFigures sqlite;
            await using (var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(root, "sqlite", "state.db") }))
            {
                sqlite = await workload.RunAsync("sqlite", store, cancellationToken);
            }

            StoreFigures encrypted;
            var everything = new ResourceTransformers(new Dictionary<string, IValueTransformer>
            {
                ["/bench/"] = EncryptionProviders.Chain([EncryptionProviders.AesGcm([new EncryptionKey("key1", RandomNumberGenerator.GetBytes(32))])]),
            });
            await using (var store = new EncryptedStore(SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(root, "sqlite-aesgcm", "state.db") }), everything))
            {
                encrypted = await workload.RunAsync("sqlite+aesgcm", store, cancellationToken);
            }

            StoreFigures etcd;
            Console.WriteLine("etcd: starting a real etcd on 127.0.0.1");
            await using (var server = await EtcdProcess.StartAsync(Path.Combine(root, "etcd"), cancellationToken))
            await using (var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [server.ClientUrl] }))
            {
                etcd = await workload.RunAsync("etcd", store, cancellationToken);
            }

            Print(sqlite, encrypted, etcd, writers, listKeys);
            return 0;
        }
        finally
        {
            if (dir is null)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static void Print(StoreFigures sqlite, StoreFigures encrypted, StoreFigures etcd, int writers, int listKeys)
    {
        var report = new Report();
        report.Row($"durable writes ({writers} writers)", Report.Format(sqlite.WritesPerSecond, "/s"), Report.Format(encrypted.WritesPerSecond, "/s"), Report.Format(etcd.WritesPerSecond, "/s"), Ratio(sqlite.WritesPerSecond, etcd.WritesPerSecond));
        report.Row("write latency p50", Report.Format(sqlite.WriteP50Ms, "ms"), Report.Format(encrypted.WriteP50Ms, "ms"), Report.Format(etcd.WriteP50Ms, "ms"), Ratio(etcd.WriteP50Ms, sqlite.WriteP50Ms));
        report.Row("write latency p99", Report.Format(sqlite.WriteP99Ms, "ms"), Report.Format(encrypted.WriteP99Ms, "ms"), Report.Format(etcd.WriteP99Ms, "ms"), Ratio(etcd.WriteP99Ms, sqlite.WriteP99Ms));
        report.Row($"list {listKeys} keys (median of 5)", Report.Format(sqlite.ListMs, "ms"), Report.Format(encrypted.ListMs, "ms"), Report.Format(etcd.ListMs, "ms"), Ratio(etcd.ListMs, sqlite.ListMs));
        report.Row("watch replay", Report.Format(sqlite.WatchEventsPerSecond, "events/s"), Report.Format(encrypted.WatchEventsPerSecond, "events/s"), Report.Format(etcd.WatchEventsPerSecond, "events/s"), Ratio(sqlite.WatchEventsPerSecond, etcd.WatchEventsPerSecond));
        Add(report, "sqlite", sqlite);
        Add(report, "sqlite_aesgcm", encrypted);
        Add(report, "etcd", etcd);
        report.Figure("list_keys", listKeys);
        report.Figure("writers", writers);
        report.Figure("write_throughput_ratio", sqlite.WritesPerSecond / etcd.WritesPerSecond);
        report.Figure("aesgcm_write_throughput_ratio", encrypted.WritesPerSecond / sqlite.WritesPerSecond);
        report.Print("metric", "sqlite", "sqlite+aesgcm", "etcd", "sqlite advantage");
    }

    private static void Add(Report report, string backend, StoreFigures f)
    {
        report.Figure($"{backend}_writes_per_s", f.WritesPerSecond);
        report.Figure($"{backend}_write_p50_ms", f.WriteP50Ms);
        report.Figure($"{backend}_write_p99_ms", f.WriteP99Ms);
        report.Figure($"{backend}_list_ms", f.ListMs);
        report.Figure($"{backend}_watch_events_per_s", f.WatchEventsPerSecond);
    }

    private static string Ratio(double better, double worse) => (better / worse).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "x";
}
