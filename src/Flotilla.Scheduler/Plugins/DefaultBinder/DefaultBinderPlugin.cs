using Flotilla.Scheduler.Framework;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.DefaultBinder;

/// <summary>Binds through the pod's <c>binding</c> subresource, naming the pod's UID so a recreated pod is not bound by mistake.</summary>
public sealed class DefaultBinderPlugin(IFrameworkHandle handle) : IBindPlugin
{
    public const string PluginName = "DefaultBinder";

    public string Name => PluginName;

    public async Task<Status> BindAsync(CycleState state, V1Pod pod, string nodeName, CancellationToken cancellationToken)
    {
        var binding = new V1Binding
        {
            Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid },
            Target = new V1ObjectReference { Kind = "Node", Name = nodeName },
        };
        try
        {
            await handle.Client.CoreV1.CreateNamespacedPodBindingAsync(binding, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            return Status.Success;
        }
        catch (HttpOperationException e)
        {
            return Status.Error($"binding rejected: {(int)e.Response.StatusCode} {e.Response.Content}");
        }
    }
}
