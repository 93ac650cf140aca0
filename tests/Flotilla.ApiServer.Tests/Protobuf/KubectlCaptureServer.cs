using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Flotilla.ApiServer.Protobuf;
using Flotilla.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>
/// The real API server with a test-only front: it records every protobuf request body kubectl sends and hands the
/// server its decoded JSON instead, so a kubectl command runs end to end through <see cref="KubernetesProtobuf"/>.
/// </summary>
public sealed class KubectlCaptureServer : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-pb-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _captured = new();
    private readonly HashSet<string> _setUp = [];
    private SqliteStore? _store;
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_dir, "state.db") });
        _app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, _store);
        _app.Use(CaptureProtobufAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await ApiServerHost.BootstrapAsync(_app, new IPEndPoint(IPAddress.Loopback, new Uri(address).Port), CancellationToken.None);
        await Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(_app.Services);
        await File.WriteAllTextAsync(Path.Combine(_dir, "kubeconfig"), $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: flotilla
              cluster:
                server: {address}
            users:
            - name: admin
              user:
                username: admin
            contexts:
            - name: flotilla
              context:
                cluster: flotilla
                user: admin
                namespace: default
            current-context: flotilla
            """);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Runs a case's setup command, once per server.</summary>
    public async Task SetUpAsync(KubectlCase command)
    {
        if (command.Setup is null || !_setUp.Add(command.Name))
        {
            return;
        }

        var (code, _, stderr, _) = await RunKubectlAsync(command.Setup);
        Assert.True(code == 0, $"setup of {command.Name} failed: {stderr}");
    }

    /// <summary>Runs kubectl and returns its result with the protobuf bodies it sent meanwhile.</summary>
    public async Task<(int Code, string Stdout, string Stderr, IReadOnlyList<(string Path, byte[] Body)> Sent)> RunKubectlAsync(IEnumerable<string> args)
    {
        _captured.Clear();
        var info = new ProcessStartInfo("kubectl", ["--kubeconfig", Path.Combine(_dir, "kubeconfig"), "--cache-dir", Path.Combine(_dir, "cache"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr, [.. _captured]);
    }

    private async Task CaptureProtobufAsync(HttpContext context, RequestDelegate next)
    {
        if (!string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), KubernetesProtobuf.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.ToArray();
        _captured.Enqueue((context.Request.Path.Value ?? string.Empty, bytes));
        byte[] json;
        try
        {
            json = KubernetesProtobuf.ToJson(bytes).Json;
        }
        catch (ProtobufDecodeException e)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.Response.WriteAsync(e.Message, context.RequestAborted);
            return;
        }

        context.Request.Body = new MemoryStream(json);
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = json.Length;
        await next(context);
    }
}
