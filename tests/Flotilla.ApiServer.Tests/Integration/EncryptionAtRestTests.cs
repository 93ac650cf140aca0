using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Encryption;
using Flotilla.Storage;
using Flotilla.Storage.Encryption;
using Flotilla.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Tests.Integration;

/// <summary>
/// The API server over an encrypting SQLite store, as <c>flotilla server</c> runs it: secrets go in and come out in
/// plain JSON through the API and sit encrypted in the store; a value that does not decrypt is a 500 with a message.
/// Each test starts its own server (a tampered value would break a shared watch cache).
/// </summary>
public sealed class EncryptionAtRestTests : IAsyncLifetime
{
    private const string Key = "/registry/secrets/default/db";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-enc-api-" + Guid.NewGuid().ToString("N")[..12]);
    private SqliteStore? _inner;
    private WebApplication? _app;
    private HttpClient? _http;

    private string ConfigPath => Path.Combine(_dir, "encryption-config.yaml");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Secret_ThroughTheApi_IsPlainInResponsesAndEncryptedInTheStore()
    {
        var http = await StartAsync();
        var value = Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cr3t-" + Guid.NewGuid()));

        var created = await http.PostAsync("/api/v1/namespaces/default/secrets", Json("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"data":{"password":"VALUE"}}""".Replace("VALUE", value, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var got = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/secrets/db"))!;
        Assert.Equal(value, (string?)got["data"]!["password"]);
        var listed = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/secrets"))!;
        Assert.Contains(listed["items"]!.AsArray(), s => (string?)s!["data"]?["password"] == value);

        var raw = Encoding.UTF8.GetString((await _inner!.GetAsync(Key))!.Value);
        Assert.StartsWith("k8s:enc:aesgcm:v1:key1:", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(value, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\"kind\"", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigMap_NotConfigured_StaysPlaintext()
    {
        var http = await StartAsync();

        var created = await http.PostAsync("/api/v1/namespaces/default/configmaps", Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"visible"}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Contains("visible", Encoding.UTF8.GetString((await _inner!.GetAsync("/registry/configmaps/default/c"))!.Value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedSecret_Get_IsInternalErrorSayingWhy()
    {
        var http = await StartAsync();
        await http.PostAsync("/api/v1/namespaces/default/secrets", Json("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"data":{"k":"dg=="}}"""));
        var stored = (await _inner!.GetAsync(Key))!;
        var tampered = stored.Value.ToArray();
        tampered[^5] ^= 0x01;
        await _inner.UpdateAsync(Key, tampered, stored.ModRevision);

        var response = await http.GetAsync("/api/v1/namespaces/default/secrets/db");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("InternalError", (string?)status["reason"]);
        Assert.Equal($"Internal error occurred: unable to transform key \"{Key}\": cipher: message authentication failed", (string?)status["message"]);
    }

    [Fact]
    public async Task Rotation_NewKeyFirst_ReplaceRewritesUnderIt_ThenOldKeyCanBeRemoved()
    {
        var http = await StartAsync();
        await http.PostAsync("/api/v1/namespaces/default/secrets", Json("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"data":{"k":"dg=="}}"""));
        var key1 = Secret(ConfigPath, "key1");
        var key2 = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await StopAsync();

        // The upstream procedure: the new key first, restart, replace every secret (kubectl get | kubectl replace).
        File.WriteAllText(ConfigPath, Config(("key2", key2), ("key1", key1)));
        http = await StartAsync();
        var current = await http.GetStringAsync("/api/v1/namespaces/default/secrets/db");
        var replaced = await http.PutAsync("/api/v1/namespaces/default/secrets/db", Json(current));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.StartsWith("k8s:enc:aesgcm:v1:key2:", Encoding.UTF8.GetString((await _inner!.GetAsync(Key))!.Value), StringComparison.Ordinal);
        await StopAsync();

        File.WriteAllText(ConfigPath, Config(("key2", key2)));
        http = await StartAsync();
        var got = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/secrets/db"))!;
        Assert.Equal("dg==", (string?)got["data"]!["k"]);
    }

    private async Task<HttpClient> StartAsync()
    {
        var transformers = EncryptionConfigFile.LoadOrCreate(ConfigPath, ResourceCatalog.Default);
        _inner = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_dir, "state.db") });
        // The app does not own the store (flotilla disposes it after the app): the test keeps the inner one to look under.
        IStore store = new EncryptedStore(_inner, transformers);
        _app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, store);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await ApiServerHost.BootstrapAsync(_app, new IPEndPoint(IPAddress.Loopback, new Uri(address).Port), CancellationToken.None);
        await Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(_app.Services);
        _http = new HttpClient { BaseAddress = new Uri(address) };
        return _http;
    }

    private async Task StopAsync()
    {
        _http?.Dispose();
        _http = null;
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        if (_inner is not null)
        {
            await _inner.DisposeAsync();
            _inner = null;
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Secret(string path, string name) =>
        EncryptionConfigFile.Parse(File.ReadAllText(path)).Resources![0].Providers![0].AesGcm!.Keys!.Single(k => k.Name == name).Secret!;

    private static string Config(params (string Name, string Secret)[] keys) =>
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aesgcm:\n      keys:\n" +
        string.Concat(keys.Select(k => $"      - name: {k.Name}\n        secret: {k.Secret}\n"));
}
