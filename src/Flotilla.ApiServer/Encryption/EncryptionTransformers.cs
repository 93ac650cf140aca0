using Flotilla.Api.Resources;
using Flotilla.Storage.Encryption;

namespace Flotilla.ApiServer.Encryption;

/// <summary>
/// A validated configuration as the store's transformers, the way kube-apiserver resolves it: each resource gets the
/// providers of every entry naming it, in order; an exact resource beats <c>*.group</c>, which beats <c>*.*</c>; a
/// resource named after a wildcard that already covers it is an error (it would be masked).
/// </summary>
public static class EncryptionTransformers
{
    private const string Root = "/registry/";
    private static readonly (string Group, string Resource) AnyGroupAnyResource = ("*", "*");

    public static ResourceTransformers Build(EncryptionConfiguration config, ResourceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        var byResource = new Dictionary<(string Group, string Resource), List<PrefixTransformer>>();
        foreach (var entry in config.Resources ?? [])
        {
            var providers = (entry.Providers ?? []).Select(Provider).ToList();
            foreach (var name in entry.Resources ?? [])
            {
                var gr = EncryptionConfigValidation.ParseGroupResource(name ?? string.Empty);
                foreach (var wildcard in new[] { (gr.Group, "*"), AnyGroupAnyResource })
                {
                    if (byResource.ContainsKey(wildcard))
                    {
                        throw new EncryptionConfigException($"error while building transformers: resource \"{Display(gr)}\" is masked by earlier rule \"{Display(wildcard)}\"");
                    }
                }

                if (!byResource.TryGetValue(gr, out var list))
                {
                    byResource[gr] = list = [];
                }

                list.AddRange(providers);
            }
        }

        var byPrefix = new Dictionary<string, IValueTransformer>(StringComparer.Ordinal);
        // Exact resources first: the core wildcard is spelled out per core resource and must not replace them.
        foreach (var (gr, providers) in byResource.OrderBy(r => r.Key.Resource == "*" ? 1 : 0))
        {
            var chain = EncryptionProviders.Chain(providers);
            foreach (var prefix in Prefixes(gr, catalog))
            {
                byPrefix.TryAdd(prefix, chain);
            }
        }

        return new ResourceTransformers(byPrefix);
    }

    /// <summary>Where a group-resource's objects live in the store (see <see cref="ResourceInfo.StoragePrefix"/>).</summary>
    private static IEnumerable<string> Prefixes((string Group, string Resource) gr, ResourceCatalog catalog) => gr switch
    {
        ("*", "*") => [Root],
        ("", "*") => catalog.Resources.Where(r => r.Group.Length == 0 && r.StoredAs is null && !r.Virtual).Select(r => r.StoragePrefix).Distinct(),
        (var group, "*") => [$"{Root}{group}/"],
        ("", var resource) => [$"{Root}{resource}/"],
        var (group, resource) => [$"{Root}{group}/{resource}/"],
    };

    private static PrefixTransformer Provider(ProviderConfiguration provider) => provider.AesGcm is { } aes
        ? EncryptionProviders.AesGcm([.. aes.Keys!.Select(k => new EncryptionKey(k.Name!, EncryptionConfigValidation.DecodeSecret(k.Secret!)!))])
        : EncryptionProviders.Identity;

    private static string Display((string Group, string Resource) gr) => gr.Group.Length == 0 && gr.Resource == "*" ? "*." : gr.Group.Length == 0 ? gr.Resource : $"{gr.Resource}.{gr.Group}";
}
