using System.Text.Json;
using Flotilla.Api;
using Flotilla.Api.Errors;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// POST pods/{name}/binding: how the scheduler assigns a pod to a node (upstream's BindingREST). Only an unassigned,
/// live pod can be bound; the pod's annotations get the Binding's, and its PodScheduled condition turns True.
/// </summary>
public static class BindingHandler
{
    public static async Task CreateAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var body = RequestBody.ToJson(await RequestBody.ReadAsync(context.Request, context.RequestAborted), context.Request.ContentType);
        V1Binding binding;
        try
        {
            binding = KubernetesJson.Deserialize<V1Binding>(System.Text.Encoding.UTF8.GetString(body))
                ?? throw StatusException.BadRequest("the Binding is empty");
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"error decoding Binding: {e.Message}");
        }

        var name = info.Name!;
        if (binding.Metadata?.Name is { Length: > 0 } bound && bound != name)
        {
            throw StatusException.BadRequest($"name in URL does not match name in Binding object");
        }

        var node = binding.Target?.Name;
        if (string.IsNullOrEmpty(node) || binding.Target!.Kind is { Length: > 0 } kind && kind != "Node")
        {
            throw StatusException.Invalid(string.Empty, "Binding", name, [string.IsNullOrEmpty(node)
                ? FieldError.Required("target.name")
                : FieldError.NotSupported("target.kind", binding.Target!.Kind, ["Node", "<empty>"])]);
        }

        var now = Timestamps.Now(context.RequestServices.GetRequiredService<TimeProvider>());
        await storage.UpdateAsync(info.Namespace, name, new UncheckedUpdate(storage.Strategy), current =>
        {
            var pod = (V1Pod)(current ?? throw StatusException.NotFound(string.Empty, "pods", name));
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                throw StatusException.Conflict(string.Empty, "pods", name, $"pod {name} is being deleted, cannot be assigned to a host");
            }

            if (!string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                throw StatusException.Conflict(string.Empty, "pods", name, $"pod {name} is already assigned to node \"{pod.Spec.NodeName}\"");
            }

            if (binding.Metadata?.Uid is { Length: > 0 } uid && uid != pod.Metadata.Uid)
            {
                throw StatusException.Conflict(string.Empty, "pods", name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {pod.Metadata.Uid}");
            }

            return Bind(pod, node, binding.Metadata?.Annotations, now);
        }, query.DryRun, RequestAdmission.For(context, info), context.RequestAborted);

        await ApiResponse.WriteJsonAsync(context, StatusCodes.Status201Created, StatusWriter.Success(null, string.Empty, "pods", null));
    }

    private static V1Pod Bind(V1Pod pod, string node, IDictionary<string, string>? annotations, DateTime now)
    {
        pod.Spec.NodeName = node;
        if (annotations is { Count: > 0 })
        {
            pod.Metadata.Annotations ??= new Dictionary<string, string>();
            foreach (var (k, v) in annotations)
            {
                pod.Metadata.Annotations[k] = v;
            }
        }

        pod.Status ??= new V1PodStatus();
        pod.Status.Conditions ??= [];
        var scheduled = pod.Status.Conditions.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is null)
        {
            pod.Status.Conditions.Add(scheduled = new V1PodCondition { Type = "PodScheduled" });
        }

        scheduled.Status = "True";
        scheduled.LastTransitionTime = now;
        return pod;
    }
}
