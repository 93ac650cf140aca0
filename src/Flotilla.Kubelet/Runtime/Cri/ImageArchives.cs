using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>
/// The air-gap images (k3s' model): every OCI archive in a directory is imported into containerd's <c>k8s.io</c>
/// namespace (the one its CRI sees) under the name in its <c>&lt;archive&gt;.name</c> file
/// (scripts/images/build.sh writes both), with <c>ctr images import</c>.
/// </summary>
public static partial class ImageArchives
{
    /// <summary>Imports the archives of <paramref name="dir"/> (none when it does not exist); returns the names imported.</summary>
    public static async Task<IReadOnlyList<string>> ImportAllAsync(string socket, string dir, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        var imported = new List<string>();
        foreach (var archive in Directory.GetFiles(dir, "*.tar").Order(StringComparer.Ordinal))
        {
            var nameFile = archive + ".name";
            if (!File.Exists(nameFile))
            {
                LogUnnamed(log, archive);
                continue;
            }

            var name = (await File.ReadAllTextAsync(nameFile, cancellationToken)).Trim();
            await ImportAsync(socket, archive, name, cancellationToken);
            LogImported(log, name, archive);
            imported.Add(name);
        }

        return imported;
    }

    /// <summary>Imports one OCI archive as <paramref name="name"/> (<c>repository:tag</c>).</summary>
    public static async Task ImportAsync(string socket, string archive, string name, CancellationToken cancellationToken)
    {
        var colon = name.LastIndexOf(':');
        var slash = name.LastIndexOf('/');
        var repository = colon > slash ? name[..colon] : name;
        var output = await CtrAsync(socket, ["images", "import", "--base-name", repository, archive], $"importing {archive} as {name}", cancellationToken);

        // The archive's own tag comes with it ("unpacking docker.io/library/busybox:1.35 (sha256:...)"); another tag asked for is added.
        var wanted = Normalized(name);
        var imported = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("unpacking ", StringComparison.Ordinal))?.Split(' ')[1];
        if (imported is not null && imported != wanted)
        {
            await CtrAsync(socket, ["images", "tag", "--force", imported, wanted], $"tagging {imported} as {wanted}", cancellationToken);
        }
    }

    /// <summary>A name as containerd keeps it: Docker Hub's short names in full (<c>busybox:1.35</c> is <c>docker.io/library/busybox:1.35</c>).</summary>
    private static string Normalized(string name)
    {
        var first = name.Split('/')[0];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? name
            : "docker.io/" + (name.Contains('/', StringComparison.Ordinal) ? name : "library/" + name);
    }

    private static async Task<string> CtrAsync(string socket, string[] args, string what, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ctr") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in (string[])["--address", socket, "--namespace", "k8s.io", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var ctr = Process.Start(start) ?? throw new InvalidOperationException("ctr did not start");
        var output = ctr.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = ctr.StandardError.ReadToEndAsync(cancellationToken);
        await ctr.WaitForExitAsync(cancellationToken);
        return ctr.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"{what}: ctr exited with {ctr.ExitCode}: {(await errors).Trim()} {(await output).Trim()}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "image {Name} imported from {Archive}")]
    private static partial void LogImported(ILogger log, string name, string archive);

    [LoggerMessage(Level = LogLevel.Warning, Message = "image archive {Archive} skipped: no .name file says what it is")]
    private static partial void LogUnnamed(ILogger log, string archive);
}
