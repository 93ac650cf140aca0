using System.Text.Json;
using Flotilla.Api.Resources;

namespace Flotilla.ApiServer.Discovery;

/// <summary>
/// Aggregated discovery (apidiscovery.k8s.io v2, and v2beta1 for kubectl ≤ 1.29): every resource of <c>/api</c> or
/// <c>/apis</c> in one document, so kubectl needs one request instead of one per group version.
/// </summary>
public static class AggregatedDiscovery
{
    public sealed record Format(string Version, string ContentType);

    /// <summary>The first aggregated format the Accept header lists, in the client's order; null for legacy discovery.</summary>
    public static Format? Negotiate(string accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        foreach (var range in accept.Split(','))
        {
            var parameters = range.Split(';').Skip(1)
                .Select(p => p.Split('=', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
            if (parameters.GetValueOrDefault("g") == "apidiscovery.k8s.io" &&
                parameters.GetValueOrDefault("as") == "APIGroupDiscoveryList" &&
                parameters.GetValueOrDefault("v") is "v2" or "v2beta1")
            {
                var version = parameters["v"];
                return new Format(version, $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList");
            }
        }

        return null;
    }

    public static byte[] Write(ResourceCatalog catalog, bool legacy, Format format)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(format);
        var groups = catalog.GroupVersions.Where(g => (g.Group.Length == 0) == legacy).GroupBy(g => g.Group);
        return LegacyDiscovery.Json(w =>
        {
            w.WriteString("kind", "APIGroupDiscoveryList");
            w.WriteString("apiVersion", $"apidiscovery.k8s.io/{format.Version}");
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteStartArray("items");
            foreach (var group in groups)
            {
                w.WriteStartObject();
                w.WriteStartObject("metadata");
                w.WriteString("name", group.Key);
                w.WriteEndObject();
                w.WriteStartArray("versions");
                foreach (var (g, version) in group)
                {
                    WriteVersion(w, catalog, g, version);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static void WriteVersion(Utf8JsonWriter w, ResourceCatalog catalog, string group, string version)
    {
        w.WriteStartObject();
        w.WriteString("version", version);
        w.WriteStartArray("resources");
        foreach (var r in catalog.Resources.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("resource", r.Plural);
            WriteKind(w, "responseKind", r.Group, r.Version, r.Kind);
            w.WriteString("scope", r.Namespaced ? "Namespaced" : "Cluster");
            w.WriteString("singularResource", r.Singular);
            LegacyDiscovery.WriteStrings(w, "verbs", r.Verbs);
            if (r.ShortNames.Count > 0)
            {
                LegacyDiscovery.WriteStrings(w, "shortNames", r.ShortNames);
            }

            if (r.Categories.Count > 0)
            {
                LegacyDiscovery.WriteStrings(w, "categories", r.Categories);
            }

            if (r.Subresources.Count > 0)
            {
                w.WriteStartArray("subresources");
                foreach (var sub in r.Subresources)
                {
                    var (g, v, k) = DiscoveryResources.ResponseKind(r, sub);
                    w.WriteStartObject();
                    w.WriteString("subresource", sub);
                    WriteKind(w, "responseKind", g, v, k);
                    LegacyDiscovery.WriteStrings(w, "verbs", DiscoveryResources.Verbs(r, sub));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("freshness", "Current");
        w.WriteEndObject();
    }

    private static void WriteKind(Utf8JsonWriter w, string name, string group, string version, string kind)
    {
        w.WriteStartObject(name);
        w.WriteString("group", group);
        w.WriteString("version", version);
        w.WriteString("kind", kind);
        w.WriteEndObject();
    }
}
