using System.Net;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// Where a request came from, as upstream's utilnet.SourceIPs lists it: the X-Forwarded-For chain, X-Real-Ip when
/// not already in it, then the connection's address unless it is already last. Only the last can be trusted.
/// </summary>
public static class SourceIps
{
    public static IReadOnlyList<string> Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Request.Headers;
        List<IPAddress> ips = [];
        if (headers["X-Forwarded-For"].FirstOrDefault() is { Length: > 0 } forwarded)
        {
            foreach (var part in forwarded.Split(','))
            {
                if (IPAddress.TryParse(part.Trim(), out var ip))
                {
                    ips.Add(Normalize(ip));
                }
            }
        }

        if (headers["X-Real-Ip"].FirstOrDefault() is { Length: > 0 } real && IPAddress.TryParse(real.Trim(), out var realIp) && !ips.Contains(Normalize(realIp)))
        {
            ips.Add(Normalize(realIp));
        }

        if (context.Connection.RemoteIpAddress is { } remote && (ips.Count == 0 || !ips[^1].Equals(Normalize(remote))))
        {
            ips.Add(Normalize(remote));
        }

        return [.. ips.Select(ip => ip.ToString())];
    }

    private static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
}
