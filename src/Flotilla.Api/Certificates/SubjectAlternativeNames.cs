using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Flotilla.Api.Certificates;

/// <summary>A serving certificate's subject alternative names: each name as an IP address or a DNS name, where it belongs.</summary>
public static class SubjectAlternativeNames
{
    public static X509Extension Build(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var sans = new SubjectAlternativeNameBuilder();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                sans.AddIpAddress(ip);
            }
            else
            {
                sans.AddDnsName(name);
            }
        }

        return sans.Build();
    }
}
