namespace Flotilla.ApiServer.Http;

public static class RequestInfoParser
{
    // Subresources of a namespace itself: /api/v1/namespaces/{name}/status, .../finalize.
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    /// <summary>
    /// Parses the part of a path after <c>/api</c> or <c>/apis</c> (<paramref name="segments"/>); null when it names
    /// no resource (discovery paths such as <c>/api/v1</c>).
    /// </summary>
    public static RequestInfo? Parse(bool legacy, IReadOnlyList<string> segments, string method, bool watch)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var parts = segments.ToList();
        string group;
        if (legacy)
        {
            group = string.Empty;
        }
        else
        {
            if (parts.Count == 0)
            {
                return null;
            }

            group = parts[0];
            parts.RemoveAt(0);
        }

        if (parts.Count < 2)
        {
            return null;
        }

        var version = parts[0];
        parts.RemoveAt(0);
        string? ns = null;
        if (parts[0] == "namespaces" && parts.Count > 1)
        {
            ns = parts[1];
            if (parts.Count > 2 && !NamespaceSubresources.Contains(parts[2]))
            {
                parts.RemoveRange(0, 2);
            }
        }

        var resource = parts[0];
        var name = parts.Count > 1 ? parts[1] : null;
        var subresource = parts.Count > 2 ? string.Join('/', parts.Skip(2)) : null;
        string? proxyPath = null;
        if (parts.Count > 2 && parts[2] == "proxy")
        {
            // Everything after a proxy subresource is the path it forwards to.
            subresource = "proxy";
            proxyPath = string.Join('/', parts.Skip(3));
        }

        var verb = method switch
        {
            "GET" or "HEAD" => name is null ? (watch ? "watch" : "list") : (watch ? "watch" : "get"),
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };
        return new RequestInfo(verb, group, version, ns, resource, name, subresource) { ProxyPath = proxyPath };
    }
}
