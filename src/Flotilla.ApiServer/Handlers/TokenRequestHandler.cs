using System.Text.Json;
using Flotilla.Api;
using Flotilla.Api.Errors;
using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Auth.ServiceAccounts;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Registry.Validation.Authentication;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// POST serviceaccounts/{name}/token: the TokenRequest API (upstream's TokenREST, what <c>kubectl create token</c>
/// calls). Issues a signed token for the service account, for the requested audiences (default: the API's) and
/// lifetime (default one hour), optionally bound to a pod, secret or node whose deletion revokes it. Nothing is stored.
/// </summary>
public static class TokenRequestHandler
{
    private const string Kind = "TokenRequest";

    // A kubelet's projected token of 3607 s lives a year but is reported stale after its hour (upstream's
    // --service-account-extend-token-expiration, on by default), so clients that do not refresh keep working.
    private const long WarnOnlyBoundTokenExpirationSeconds = 60 * 60 + 7;
    private const long ExpirationExtensionSeconds = 24 * 365 * 60 * 60;

    public static async Task CreateAsync(HttpContext context, ResourceStorage serviceAccounts, RequestInfo info)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(serviceAccounts);
        ArgumentNullException.ThrowIfNull(info);
        var ns = info.Namespace ?? throw StatusException.BadRequest("namespace is required");
        var name = info.Name!;
        var request = Decode(RequestBody.ToJson(await RequestBody.ReadAsync(context.Request, context.RequestAborted), context.Request.ContentType));
        request.Metadata ??= new V1ObjectMeta();
        request.Spec ??= new V1TokenRequestSpec();
        if (!string.IsNullOrEmpty(request.Metadata.Name) && request.Metadata.Name != name)
        {
            throw StatusException.Invalid(TokenRequestValidation.GroupName, Kind, name, [FieldError.Invalid("metadata.name", request.Metadata.Name, "must match the service account name if specified")]);
        }

        if (!string.IsNullOrEmpty(request.Metadata.NamespaceProperty) && request.Metadata.NamespaceProperty != ns)
        {
            throw StatusException.Invalid(TokenRequestValidation.GroupName, Kind, name, [FieldError.Invalid("metadata.namespace", request.Metadata.NamespaceProperty, "must match the service account namespace if specified")]);
        }

        var cancellationToken = context.RequestAborted;
        var account = (V1ServiceAccount)(await serviceAccounts.GetAsync(ns, name, cancellationToken)).Object;
        var issuer = context.RequestServices.GetRequiredService<ServiceAccountTokenIssuer>();
        if (request.Spec.Audiences is not { Count: > 0 })
        {
            request.Spec.Audiences = [.. issuer.ApiAudiences];
        }

        request.Spec.ExpirationSeconds ??= TokenRequestValidation.DefaultExpirationSeconds;
        request.Metadata.Name = account.Metadata.Name;
        request.Metadata.NamespaceProperty = account.Metadata.NamespaceProperty;
        var now = Timestamps.Now(context.RequestServices.GetRequiredService<TimeProvider>());
        request.Metadata.CreationTimestamp = now;
        request.Status = null;
        if (TokenRequestValidation.Validate(request) is { Count: > 0 } errors)
        {
            throw StatusException.Invalid(TokenRequestValidation.GroupName, Kind, string.Empty, errors);
        }

        await RequestAdmission.For(context, info).ValidateAsync(AdmissionOperation.Create, serviceAccounts.Resource, request, null, dryRun: false, cancellationToken);

        var registry = context.RequestServices.GetRequiredService<ResourceRegistry>();
        var (bound, podNode) = request.Spec.BoundObjectRef is { } reference
            ? await BoundObjectAsync(registry, ns, name, reference, cancellationToken)
            : (null, null);

        var requested = request.Spec.ExpirationSeconds.Value;
        var (expiration, warnAfter) = bound is V1Pod && requested == WarnOnlyBoundTokenExpirationSeconds && request.Spec.Audiences.All(issuer.ApiAudiences.Contains)
            ? (ExpirationExtensionSeconds, requested)
            : (requested, 0L);
        var claims = ServiceAccountClaims.For(account, bound, podNode, expiration, warnAfter, [.. request.Spec.Audiences], now, Guid.NewGuid().ToString());
        request.ApiVersion = $"{TokenRequestValidation.GroupName}/v1";
        request.Kind = Kind;
        request.Status = new V1TokenRequestStatus { Token = issuer.Issue(claims), ExpirationTimestamp = now.AddSeconds(requested) };
        await ApiResponse.WriteJsonAsync(context, StatusCodes.Status201Created, JsonSerializer.SerializeToUtf8Bytes(request, KubernetesJsonOptions.Value));
    }

    /// <summary>The pod, secret or node the token is bound to (and a pod's node: name only when it is gone).</summary>
    private static async Task<(IKubernetesObject<V1ObjectMeta> Bound, V1Node? PodNode)> BoundObjectAsync(
        ResourceRegistry registry, string ns, string serviceAccount, V1BoundObjectReference reference, CancellationToken cancellationToken)
    {
        var group = reference.ApiVersion is { } apiVersion && apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        var plural = group.Length == 0 ? reference.Kind switch { "Pod" => "pods", "Node" => "nodes", "Secret" => "secrets", _ => null } : null;
        if (plural is null)
        {
            var version = reference.ApiVersion is { } v && v.Contains('/', StringComparison.Ordinal) ? v[(v.IndexOf('/', StringComparison.Ordinal) + 1)..] : reference.ApiVersion ?? string.Empty;
            throw StatusException.BadRequest($"cannot bind token to object of type {group}/{version}, Kind={reference.Kind}");
        }

        var storage = registry.Find(string.Empty, "v1", plural)!;
        var bound = (await storage.GetAsync(plural == "nodes" ? null : ns, reference.Name ?? string.Empty, cancellationToken)).Object;
        V1Node? podNode = null;
        if (bound is V1Pod pod)
        {
            if (pod.Spec?.ServiceAccountName != serviceAccount)
            {
                throw StatusException.BadRequest($"cannot bind token for serviceaccount \"{serviceAccount}\" to pod running with different serviceaccount name.");
            }

            if (pod.Spec.NodeName is { Length: > 0 } nodeName)
            {
                podNode = await FindNodeAsync(registry, nodeName, cancellationToken) ?? new V1Node { Metadata = new V1ObjectMeta { Name = nodeName } };
            }
        }

        if (!string.IsNullOrEmpty(reference.Uid) && reference.Uid != bound.Metadata.Uid)
        {
            throw StatusException.Conflict(group, reference.Kind!, reference.Name ?? string.Empty,
                $"the UID in the bound object reference ({reference.Uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        return (bound, podNode);
    }

    private static async Task<V1Node?> FindNodeAsync(ResourceRegistry registry, string name, CancellationToken cancellationToken)
    {
        try
        {
            return (V1Node)(await registry.Find(string.Empty, "v1", "nodes")!.GetAsync(null, name, cancellationToken)).Object;
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private static Authenticationv1TokenRequest Decode(byte[] json)
    {
        try
        {
            using (var document = JsonDocument.Parse(json))
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw StatusException.BadRequest($"the body of the request must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
                }

                if (root.TryGetProperty("apiVersion", out var v) && v.GetString() is { Length: > 0 } apiVersion && apiVersion != $"{TokenRequestValidation.GroupName}/v1")
                {
                    throw StatusException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({TokenRequestValidation.GroupName}/v1)");
                }

                if (root.TryGetProperty("kind", out var k) && k.GetString() is { Length: > 0 } kind && kind != Kind)
                {
                    throw StatusException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({Kind})");
                }
            }

            return KubernetesJson.Deserialize<Authenticationv1TokenRequest>(System.Text.Encoding.UTF8.GetString(json)) ?? new Authenticationv1TokenRequest();
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"error decoding the request body as JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            throw StatusException.BadRequest($"error decoding the request body: {e.Message}");
        }
    }
}
