using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Flotilla.Tests.Shared;

/// <summary>
/// Debian's <c>docker-registry</c> on 127.0.0.1 at a free port, with htpasswd auth (user <see cref="User"/>,
/// password <see cref="Password"/>), its storage in a temp dir; <see cref="PushAsync"/> copies an OCI archive in
/// with skopeo. containerd pulls from 127.0.0.1 over plain HTTP. Disposing stops it and removes its dir.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string User = "puller";
    public const string Password = "s3cret";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-registry-" + Guid.NewGuid().ToString("N")[..10]);
    private Process? _process;

    /// <summary><c>127.0.0.1:PORT</c>, as image names carry it.</summary>
    public string Host { get; private set; } = string.Empty;

    public static async Task<LocalRegistry> StartAsync()
    {
        var registry = new LocalRegistry();
        try
        {
            await registry.StartCoreAsync();
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>Copies an OCI archive's image (its ref name <paramref name="tag"/>) to <c>HOST/repository:tag</c>.</summary>
    public async Task PushAsync(string archive, string tag, string repository)
    {
        var (code, output) = await RunAsync("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", $"{User}:{Password}", $"oci-archive:{archive}:{tag}", $"docker://{Host}/{repository}:{tag}");
        if (code != 0)
        {
            throw new InvalidOperationException($"skopeo copy failed: {output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task StartCoreAsync()
    {
        Directory.CreateDirectory(_dir);
        var (code, hash) = await RunAsync("htpasswd", "-Bbn", User, Password);
        if (code != 0)
        {
            throw new InvalidOperationException($"htpasswd failed: {hash}");
        }

        await File.WriteAllTextAsync(Path.Combine(_dir, "htpasswd"), hash.Trim() + "\n");
        var port = FreePort();
        Host = $"127.0.0.1:{port}";
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.yml"), $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {_dir}/data
            http:
              addr: {Host}
            auth:
              htpasswd:
                realm: flotilla
                path: {_dir}/htpasswd
            """);
        _process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", Path.Combine(_dir, "config.yml")]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Serving once /v2/ asks for credentials.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{Host}/v2/"));
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }

            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new InvalidOperationException("docker-registry did not start");
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
