using System.Text.Json;
using Flotilla.Api.Resources;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Discovery;

/// <summary>The unaggregated discovery documents (APIVersions, APIGroupList, APIGroup, APIResourceList).</summary>
public static class LegacyDiscovery
{
    public static byte[] ApiVersions(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Json(w =>
        {
            w.WriteString("kind", "APIVersions");
            w.WriteStartArray("versions");
            w.WriteStringValue("v1");
            w.WriteEndArray();
            w.WriteStartArray("serverAddressByClientCIDRs");
            w.WriteStartObject();
            w.WriteString("clientCIDR", "0.0.0.0/0");
            w.WriteString("serverAddress", context.Request.Host.Value);
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    public static byte[] GroupList(ResourceCatalog catalog) => Json(w =>
    {
        w.WriteString("kind", "APIGroupList");
        w.WriteString("apiVersion", "v1");
        w.WriteStartArray("groups");
        foreach (var group in Groups(catalog))
        {
            WriteGroup(w, catalog, group);
        }

        w.WriteEndArray();
    });

    public static byte[]? Group(ResourceCatalog catalog, string group) =>
        Groups(catalog).Contains(group)
            ? Json(w =>
            {
                w.WriteString("kind", "APIGroup");
                w.WriteString("apiVersion", "v1");
                WriteGroupBody(w, catalog, group);
            })
            : null;

    public static byte[] ResourceList(ResourceCatalog catalog, string group, string version) => Json(w =>
    {
        w.WriteString("kind", "APIResourceList");
        w.WriteString("apiVersion", "v1");
        w.WriteString("groupVersion", group.Length == 0 ? version : $"{group}/{version}");
        w.WriteStartArray("resources");
        foreach (var r in catalog.Resources.Where(r => r.Group == group && r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("name", r.Plural);
            w.WriteString("singularName", r.Singular);
            w.WriteBoolean("namespaced", r.Namespaced);
            w.WriteString("kind", r.Kind);
            WriteStrings(w, "verbs", r.Verbs);
            if (r.ShortNames.Count > 0)
            {
                WriteStrings(w, "shortNames", r.ShortNames);
            }

            if (r.Categories.Count > 0)
            {
                WriteStrings(w, "categories", r.Categories);
            }

            w.WriteEndObject();
            foreach (var sub in r.Subresources)
            {
                var (g, v, k) = DiscoveryResources.ResponseKind(r, sub);
                w.WriteStartObject();
                w.WriteString("name", $"{r.Plural}/{sub}");
                w.WriteString("singularName", string.Empty);
                w.WriteBoolean("namespaced", r.Namespaced);
                if (g != r.Group || v != r.Version)
                {
                    w.WriteString("group", g);
                    w.WriteString("version", v);
                }

                w.WriteString("kind", k);
                WriteStrings(w, "verbs", DiscoveryResources.Verbs(r, sub));
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
    });

    private static IEnumerable<string> Groups(ResourceCatalog catalog) =>
        catalog.GroupVersions.Select(g => g.Group).Where(g => g.Length > 0).Distinct();

    private static void WriteGroup(Utf8JsonWriter w, ResourceCatalog catalog, string group)
    {
        w.WriteStartObject();
        WriteGroupBody(w, catalog, group);
        w.WriteEndObject();
    }

    private static void WriteGroupBody(Utf8JsonWriter w, ResourceCatalog catalog, string group)
    {
        var versions = catalog.GroupVersions.Where(g => g.Group == group).Select(g => g.Version).ToList();
        w.WriteString("name", group);
        w.WriteStartArray("versions");
        foreach (var v in versions)
        {
            w.WriteStartObject();
            w.WriteString("groupVersion", $"{group}/{v}");
            w.WriteString("version", v);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("preferredVersion");
        w.WriteString("groupVersion", $"{group}/{versions[0]}");
        w.WriteString("version", versions[0]);
        w.WriteEndObject();
    }

    internal static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    internal static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
