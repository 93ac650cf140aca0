using System.CommandLine;
using Flotilla.Kubelet.Runtime.Cri;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla images import FILE</c> (k3s' air-gap images): an OCI archive is copied into the data dir's
/// <c>images/</c>, which a real node imports at every start, and imported into the node's containerd at once when
/// it runs. The image's name comes from <c>--name</c> or the archive's <c>&lt;FILE&gt;.name</c> beside it.
/// </summary>
public static class ImagesCommand
{
    public static Command Create()
    {
        var dataDirOption = ServerOptions.DataDirOption();
        var file = new Argument<FileInfo>("FILE") { Description = "An OCI image archive (tar of an OCI layout)" };
        var name = new Option<string?>("--name") { Description = "The image's name, repository:tag (default: the content of FILE.name)" };
        var import = new Command("import", "Import an OCI archive into a real node's images (now, and at every start)") { file, name, dataDirOption };
        import.SetAction(async (parsed, cancellationToken) =>
        {
            var archive = parsed.GetValue(file)!;
            using var dataDir = new DataDirectory(parsed.GetValue(dataDirOption)!);
            if (!archive.Exists)
            {
                await Console.Error.WriteLineAsync($"flotilla images import: {archive.FullName}: no such file");
                return 1;
            }

            var nameFile = archive.FullName + ".name";
            var image = parsed.GetValue(name) ?? (File.Exists(nameFile) ? (await File.ReadAllTextAsync(nameFile, cancellationToken)).Trim() : null);
            if (string.IsNullOrEmpty(image))
            {
                await Console.Error.WriteLineAsync($"flotilla images import: the image has no name: give --name repository:tag (or write it in {nameFile})");
                return 1;
            }

            Directory.CreateDirectory(dataDir.ImagesDir);
            var kept = Path.Combine(dataDir.ImagesDir, archive.Name);
            if (!string.Equals(Path.GetFullPath(kept), archive.FullName, StringComparison.Ordinal))
            {
                File.Copy(archive.FullName, kept, overwrite: true);
            }

            await File.WriteAllTextAsync(kept + ".name", image + "\n", cancellationToken);
            var socket = new CriNode(dataDir.Root).Containerd.Socket;
            if (!File.Exists(socket))
            {
                await Console.Out.WriteLineAsync($"flotilla images import: {image} kept in {dataDir.ImagesDir}; the node imports it when it starts");
                return 0;
            }

            try
            {
                await ImageArchives.ImportAsync(socket, kept, image, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync($"flotilla images import: {e.Message}");
                return 1;
            }

            await Console.Out.WriteLineAsync($"flotilla images import: imported {image} (and kept it in {dataDir.ImagesDir})");
            return 0;
        });
        return new Command("images", "A real node's offline images") { import };
    }
}
