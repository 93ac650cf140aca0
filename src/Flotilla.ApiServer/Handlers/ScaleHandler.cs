using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Errors;
using Flotilla.Api.Selectors;
using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets and replication
/// controllers: read and change <c>spec.replicas</c> without touching the rest (kubectl scale, HPA).
/// </summary>
public static class ScaleHandler
{
    public static async Task GetAsync(HttpContext context, ResourceStorage storage, RequestInfo info)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        var stored = await storage.GetAsync(info.Namespace, info.Name!, context.RequestAborted);
        await ApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, Encode(ToScale(stored.Object)));
    }

    /// <summary>PUT or PATCH of the Scale: the new replicas go into the object's spec through the main strategy.</summary>
    public static async Task UpdateAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
        var isPatch = context.Request.Method == HttpMethods.Patch;
        var patchType = MediaTypes.Essence(context.Request.ContentType);
        var patch = isPatch ? PatchHandler.ParsePatch(patchType, body) : null;
        var result = await storage.UpdateAsync(info.Namespace, info.Name!, storage.Strategy, current =>
        {
            current = current ?? throw StatusException.NotFound(storage.Resource.Group, storage.Resource.Plural, info.Name!);
            var scale = ToScale(current);
            V1Scale wanted;
            try
            {
                wanted = isPatch
                    ? KubernetesJson.Deserialize<V1Scale>(PatchHandler.ApplyToJson(JsonNode.Parse(Encode(scale))!, patchType, patch!, typeof(V1Scale)).ToJsonString())
                    : KubernetesJson.Deserialize<V1Scale>(System.Text.Encoding.UTF8.GetString(RequestBody.ToJson(body, context.Request.ContentType)));
            }
            catch (JsonException e)
            {
                throw StatusException.BadRequest($"error decoding Scale: {e.Message}");
            }

            if (wanted.Metadata?.ResourceVersion is { Length: > 0 } rv && rv != current.Metadata.ResourceVersion)
            {
                throw StatusException.StaleObject(storage.Resource.Group, storage.Resource.Plural, info.Name!);
            }

            var replicas = wanted.Spec?.Replicas ?? 0;
            if (replicas < 0)
            {
                throw StatusException.Invalid("autoscaling", "Scale", info.Name!, [FieldError.Invalid("spec.replicas", replicas, "must be greater than or equal to 0")]);
            }

            Spec(current).GetType().GetProperty("Replicas")!.SetValue(Spec(current), replicas);
            return current;
        }, query.DryRun, RequestAdmission.For(context, info), context.RequestAborted);
        await ApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, Encode(ToScale(result.Object)));
    }

    private static V1Scale ToScale(IKubernetesObject<V1ObjectMeta> obj)
    {
        var spec = Spec(obj);
        var status = obj.GetType().GetProperty("Status")?.GetValue(obj);
        var selector = spec.GetType().GetProperty("Selector")?.GetValue(spec) switch
        {
            V1LabelSelector s => LabelSelector.FromModel(s).ToString(),
            IDictionary<string, string> map => LabelSelector.FromSet(map).ToString(),
            _ => null,
        };
        return new V1Scale
        {
            ApiVersion = "autoscaling/v1",
            Kind = "Scale",
            Metadata = new V1ObjectMeta
            {
                Name = obj.Metadata.Name,
                NamespaceProperty = obj.Metadata.NamespaceProperty,
                Uid = obj.Metadata.Uid,
                ResourceVersion = obj.Metadata.ResourceVersion,
                CreationTimestamp = obj.Metadata.CreationTimestamp,
            },
            Spec = new V1ScaleSpec { Replicas = (int?)spec.GetType().GetProperty("Replicas")?.GetValue(spec) ?? 1 },
            Status = new V1ScaleStatus
            {
                Replicas = (int?)status?.GetType().GetProperty("Replicas")?.GetValue(status) ?? 0,
                Selector = selector,
            },
        };
    }

    private static object Spec(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.GetType().GetProperty("Spec", BindingFlags.Public | BindingFlags.Instance)?.GetValue(obj)
        ?? throw StatusException.Internal($"{obj.Kind} {obj.Metadata.Name} has no spec");

    private static byte[] Encode(V1Scale scale) => JsonSerializer.SerializeToUtf8Bytes(scale, KubernetesJsonOptions.Value);
}
