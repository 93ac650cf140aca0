using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetDefaults_Secret.</summary>
public static class SecretDefaults
{
    public const string Opaque = "Opaque";

    public static void Apply(V1Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(secret.Type))
        {
            secret.Type = Opaque;
        }
    }
}
