using System.Text;
using Flotilla.Client;
using k8s;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>A container whose configuration cannot be made yet (upstream's CreateContainerConfigError), with upstream's message.</summary>
public sealed class ContainerConfigException(string message) : Exception(message);

/// <summary>
/// Upstream's makeEnvironmentVariables: <c>envFrom</c> in order (prefixed keys of a ConfigMap's data or a Secret's),
/// then <c>env</c> in order — values with <c>$(VAR)</c> expanded against what came before and the service variables,
/// or read from a field, a resource, a ConfigMap or Secret key — then the service variables not already set. Objects
/// are read through the node's client, once per container.
/// </summary>
public sealed class ContainerEnvironment(IKubernetes client)
{
    /// <exception cref="ContainerConfigException">A ConfigMap, Secret or key that is not optional is missing, or a field cannot be read.</exception>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> ResolveAsync(
        V1Pod pod, V1Container container, IReadOnlyDictionary<string, string> serviceEnv, IReadOnlyList<string> hostIps, IReadOnlyList<string> podIps, V1Node? node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(serviceEnv);
        var ns = pod.Metadata.NamespaceProperty;
        var configMaps = new Dictionary<string, V1ConfigMap?>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, V1Secret?>(StringComparer.Ordinal);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var from in container.EnvFrom ?? [])
        {
            if (from.ConfigMapRef is { } cmRef)
            {
                if (await ConfigMapAsync(ns, cmRef.Name, cmRef.Optional == true, configMaps, cancellationToken) is { } cm)
                {
                    foreach (var (key, value) in cm.Data ?? new Dictionary<string, string>())
                    {
                        env[from.Prefix + key] = value;
                    }
                }
            }
            else if (from.SecretRef is { } secretRef)
            {
                if (await SecretAsync(ns, secretRef.Name, secretRef.Optional == true, secrets, cancellationToken) is { } secret)
                {
                    foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
                    {
                        env[from.Prefix + key] = Encoding.UTF8.GetString(value);
                    }
                }
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is not { } source)
            {
                env[variable.Name] = Expansion.Expand(variable.Value ?? string.Empty, name => env.TryGetValue(name, out var v) ? v : serviceEnv.GetValueOrDefault(name));
                continue;
            }

            string? value;
            try
            {
                value = source switch
                {
                    { FieldRef: { } field } => DownwardFields.Field(pod, field.FieldPath, hostIps, podIps),
                    { ResourceFieldRef: { } resource } => DownwardFields.Resource(pod, resource, container.Name, node),
                    { ConfigMapKeyRef: { } key } => await ConfigMapKeyAsync(ns, key, configMaps, cancellationToken),
                    { SecretKeyRef: { } key } => await SecretKeyAsync(ns, key, secrets, cancellationToken),
                    _ => string.Empty,
                };
            }
            catch (InvalidOperationException e)
            {
                throw new ContainerConfigException(e.Message);
            }

            if (value is not null)
            {
                env[variable.Name] = value;
            }
        }

        var all = env.ToList();
        all.AddRange(serviceEnv.Where(p => !env.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal));
        return all;
    }

    /// <summary>A container's command or args with <c>$(VAR)</c> expanded against its final environment (upstream's ExpandContainerCommandAndArgs).</summary>
    public static List<string> Expand(IEnumerable<string>? words, IReadOnlyList<KeyValuePair<string, string>> env)
    {
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in env)
        {
            lookup[key] = value;
        }

        return [.. (words ?? []).Select(w => Expansion.Expand(w, name => lookup.GetValueOrDefault(name)))];
    }

    private async Task<string?> ConfigMapKeyAsync(string ns, V1ConfigMapKeySelector key, Dictionary<string, V1ConfigMap?> cache, CancellationToken cancellationToken)
    {
        var optional = key.Optional == true;
        if (await ConfigMapAsync(ns, key.Name, optional, cache, cancellationToken) is not { } cm)
        {
            return null;
        }

        return cm.Data is { } data && data.TryGetValue(key.Key, out var value) ? value
            : optional ? null
            : throw new ContainerConfigException($"couldn't find key {key.Key} in ConfigMap {ns}/{key.Name}");
    }

    private async Task<string?> SecretKeyAsync(string ns, V1SecretKeySelector key, Dictionary<string, V1Secret?> cache, CancellationToken cancellationToken)
    {
        var optional = key.Optional == true;
        if (await SecretAsync(ns, key.Name, optional, cache, cancellationToken) is not { } secret)
        {
            return null;
        }

        return secret.Data is { } data && data.TryGetValue(key.Key, out var value) ? Encoding.UTF8.GetString(value)
            : optional ? null
            : throw new ContainerConfigException($"couldn't find key {key.Key} in Secret {ns}/{key.Name}");
    }

    private async Task<V1ConfigMap?> ConfigMapAsync(string ns, string name, bool optional, Dictionary<string, V1ConfigMap?> cache, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(name, out var cm))
        {
            try
            {
                cm = await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                cm = null;
            }

            cache[name] = cm;
        }

        return cm is not null || optional ? cm : throw new ContainerConfigException($"configmap \"{name}\" not found");
    }

    private async Task<V1Secret?> SecretAsync(string ns, string name, bool optional, Dictionary<string, V1Secret?> cache, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(name, out var secret))
        {
            try
            {
                secret = await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                secret = null;
            }

            cache[name] = secret;
        }

        return secret is not null || optional ? secret : throw new ContainerConfigException($"secret \"{name}\" not found");
    }
}
