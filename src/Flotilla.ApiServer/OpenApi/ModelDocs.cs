using System.Reflection;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using k8s.Models;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// Upstream's field and type descriptions, as the KubernetesClient package ships them in <c>KubernetesClient.xml</c>
/// (the XML doc comments its generator wrote from the swagger descriptions), so <c>kubectl explain</c> prints them.
/// </summary>
public sealed class ModelDocs
{
    private const string FileName = "KubernetesClient.xml";
    private const string ModelsPrefix = "k8s.Models.";

    private readonly IReadOnlyDictionary<string, string> members;

    private ModelDocs(IReadOnlyDictionary<string, string> members, string? source)
    {
        this.members = members;
        Source = source;
    }

    public static ModelDocs Empty { get; } = new(new Dictionary<string, string>(), null);

    /// <summary>The file the descriptions came from; null when none was found.</summary>
    public string? Source { get; }

    public int Count => members.Count;

    /// <summary>
    /// Reads the first <c>KubernetesClient.xml</c> found: beside the KubernetesClient assembly, in the app's base
    /// directory (the build copies it there), then in the NuGet package cache; <see cref="Empty"/> if none exists.
    /// </summary>
    public static ModelDocs Load() =>
        Candidates().FirstOrDefault(File.Exists) is { } path ? Read(path) : Empty;

    public static ModelDocs Read(string path)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        reader.MoveToContent();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Name != "member")
            {
                reader.Read();
                continue;
            }

            var name = reader.GetAttribute("name");
            if (name is null || !(name.StartsWith("T:" + ModelsPrefix, StringComparison.Ordinal) || name.StartsWith("P:" + ModelsPrefix, StringComparison.Ordinal)))
            {
                reader.Skip();
                continue;
            }

            if (XNode.ReadFrom(reader) is XElement member && member.Element("summary") is { } summary && Normalize(summary.Value) is { Length: > 0 } text)
            {
                members[name[2..]] = text;
            }
        }

        return new ModelDocs(members, path);
    }

    /// <summary>The description of a model type (<c>V1PodSpec</c>).</summary>
    public string? ForType(Type type) =>
        members.GetValueOrDefault(ModelsPrefix + (type ?? throw new ArgumentNullException(nameof(type))).Name);

    /// <summary>The description of a property (<c>V1PodSpec.Containers</c>).</summary>
    public string? ForProperty(PropertyInfo property) =>
        members.GetValueOrDefault($"{ModelsPrefix}{(property ?? throw new ArgumentNullException(nameof(property))).DeclaringType!.Name}.{property.Name}");

    // The generator wrapped upstream's text at 80 columns; a blank line marks one of its paragraph breaks.
    internal static string Normalize(string summary)
    {
        var text = new StringBuilder(summary.Length);
        var paragraphBreak = false;
        foreach (var raw in summary.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                paragraphBreak = text.Length > 0;
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(paragraphBreak ? "\n\n" : " ");
            }

            text.Append(line);
            paragraphBreak = false;
        }

        return text.ToString();
    }

    private static IEnumerable<string> Candidates()
    {
        var assembly = typeof(V1Pod).Assembly;
        if (assembly.Location is { Length: > 0 } location)
        {
            yield return Path.ChangeExtension(location, ".xml");
        }

        yield return Path.Combine(AppContext.BaseDirectory, FileName);

        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (version is not null)
        {
            var lib = Path.Combine(packages, "kubernetesclient", version, "lib");
            if (Directory.Exists(lib))
            {
                foreach (var framework in Directory.EnumerateDirectories(lib).OrderDescending(StringComparer.Ordinal))
                {
                    yield return Path.Combine(framework, FileName);
                }
            }
        }
    }
}
