using Flotilla.Api.Resources;
using Flotilla.ApiServer.Http;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Discovery;

/// <summary>
/// Discovery: <c>/api</c>, <c>/apis</c> (legacy lists, or the aggregated v2/v2beta1 document when the Accept header
/// asks for it, with exactly that Content-Type), <c>/api/v1</c>, <c>/apis/&lt;group&gt;</c> and
/// <c>/apis/&lt;group&gt;/&lt;version&gt;</c>.
/// </summary>
public static class DiscoveryEndpoints
{
    public static bool TryHandle(HttpContext context, ResourceCatalog catalog, bool legacy, IReadOnlyList<string> segments, out Task handled)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(segments);
        handled = Task.CompletedTask;
        if (context.Request.Method is not ("GET" or "HEAD"))
        {
            return false;
        }

        var accept = context.Request.Headers.Accept.ToString();
        byte[]? body = null;
        var contentType = MediaTypes.Json;
        switch (legacy, segments.Count)
        {
            case (true, 0) or (false, 0):
                if (AggregatedDiscovery.Negotiate(accept) is { } aggregated)
                {
                    body = AggregatedDiscovery.Write(catalog, legacy, aggregated);
                    contentType = aggregated.ContentType;
                }
                else
                {
                    body = legacy ? LegacyDiscovery.ApiVersions(context) : LegacyDiscovery.GroupList(catalog);
                }

                break;
            case (true, 1):
                body = catalog.GroupVersions.Any(g => g.Group.Length == 0 && g.Version == segments[0]) ? LegacyDiscovery.ResourceList(catalog, string.Empty, segments[0]) : null;
                break;
            case (false, 1):
                body = LegacyDiscovery.Group(catalog, segments[0]);
                break;
            case (false, 2):
                body = catalog.GroupVersions.Any(g => g.Group == segments[0] && g.Version == segments[1]) ? LegacyDiscovery.ResourceList(catalog, segments[0], segments[1]) : null;
                break;
            default:
                return false;
        }

        if (body is null)
        {
            return false;
        }

        context.Response.Headers.Vary = "Accept";
        handled = ApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, body, contentType);
        return true;
    }
}
