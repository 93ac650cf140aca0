using Flotilla.Client;
using System.Net;
using Flotilla.Api.Serialization;
using Flotilla.Client.Events;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Controllers.Framework;

/// <summary>Upstream's RealPodControl: pod writes through the API, each with its event on the owner.</summary>
public sealed class PodControl(IKubernetes client, IEventRecorder recorder) : IPodControl
{
    public Task<V1Pod> CreateAsync(string ns, V1PodTemplateSpec template, IKubernetesObject<V1ObjectMeta> owner, V1OwnerReference controllerRef, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return CreatePodAsync(ns, FromTemplate(template, owner.Metadata.Name, controllerRef), owner, cancellationToken);
    }

    public async Task<V1Pod> CreatePodAsync(string ns, V1Pod pod, IKubernetesObject<V1ObjectMeta> owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        try
        {
            var created = await client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: cancellationToken);
            recorder.Event(owner, EventTypes.Normal, "SuccessfulCreate", "Created pod: {0}", created.Metadata.Name);
            return created;
        }
        catch (HttpOperationException e)
        {
            recorder.Event(owner, EventTypes.Warning, "FailedCreate", "Error creating: {0}", ApiErrors.Message(e));
            throw;
        }
    }

    public async Task DeleteAsync(string ns, string name, IKubernetesObject<V1ObjectMeta> owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(name, ns, cancellationToken: cancellationToken);
            recorder.Event(owner, EventTypes.Normal, "SuccessfulDelete", "Deleted pod: {0}", name);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw;  // gone already: the caller counts it as deleted, with no event
        }
        catch (HttpOperationException e)
        {
            recorder.Event(owner, EventTypes.Warning, "FailedDelete", "Error deleting: {0}", ApiErrors.Message(e));
            throw;
        }
    }

    public Task PatchAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken) =>
        client.CoreV1.PatchNamespacedPodAsync(new V1Patch(strategicMergePatch, V1Patch.PatchType.StrategicMergePatch), name, ns, cancellationToken: cancellationToken);

    /// <summary>Upstream GetPodFromTemplate: the template's labels, annotations, finalizers and spec, named <c>&lt;owner&gt;-xxxxx</c>.</summary>
    public static V1Pod FromTemplate(V1PodTemplateSpec template, string ownerName, V1OwnerReference controllerRef)
    {
        ArgumentNullException.ThrowIfNull(template);
        var copy = DeepCopy.Of(template);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = ownerName + "-",
                Labels = copy.Metadata?.Labels,
                Annotations = copy.Metadata?.Annotations,
                Finalizers = copy.Metadata?.Finalizers,
                OwnerReferences = [controllerRef],
            },
            Spec = copy.Spec,
        };
    }
}
