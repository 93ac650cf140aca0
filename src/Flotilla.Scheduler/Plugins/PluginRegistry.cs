using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.DefaultBinder;
using Flotilla.Scheduler.Plugins.DefaultPreemption;
using Flotilla.Scheduler.Plugins.ImageLocality;
using Flotilla.Scheduler.Plugins.InterPodAffinity;
using Flotilla.Scheduler.Plugins.NodeAffinity;
using Flotilla.Scheduler.Plugins.NodeName;
using Flotilla.Scheduler.Plugins.NodePorts;
using Flotilla.Scheduler.Plugins.NodeResourcesBalancedAllocation;
using Flotilla.Scheduler.Plugins.NodeResourcesFit;
using Flotilla.Scheduler.Plugins.NodeUnschedulable;
using Flotilla.Scheduler.Plugins.PodTopologySpread;
using Flotilla.Scheduler.Plugins.TaintToleration;
using Flotilla.Scheduler.Plugins.VolumeBinding;

namespace Flotilla.Scheduler.Plugins;

/// <summary>
/// Every built-in plugin by name, and kube-scheduler v1.32's default profile: its plugins in upstream's order (the
/// order Filter runs them, which decides the reason a node reports) with upstream's score weights.
/// </summary>
public static class PluginRegistry
{
    public static IReadOnlyDictionary<string, Func<IFrameworkHandle, IPlugin>> Factories { get; } = new Dictionary<string, Func<IFrameworkHandle, IPlugin>>(StringComparer.Ordinal)
    {
        [NodeUnschedulablePlugin.PluginName] = _ => new NodeUnschedulablePlugin(),
        [NodeNamePlugin.PluginName] = _ => new NodeNamePlugin(),
        [TaintTolerationPlugin.PluginName] = _ => new TaintTolerationPlugin(),
        [NodeAffinityPlugin.PluginName] = _ => new NodeAffinityPlugin(),
        [NodePortsPlugin.PluginName] = _ => new NodePortsPlugin(),
        [NodeResourcesFitPlugin.PluginName] = _ => new NodeResourcesFitPlugin(),
        [VolumeBindingPlugin.PluginName] = h => new VolumeBindingPlugin(h),
        [PodTopologySpreadPlugin.PluginName] = h => new PodTopologySpreadPlugin(h),
        [InterPodAffinityPlugin.PluginName] = h => new InterPodAffinityPlugin(h),
        [DefaultPreemptionPlugin.PluginName] = h => new DefaultPreemptionPlugin(h),
        [NodeResourcesBalancedAllocationPlugin.PluginName] = _ => new NodeResourcesBalancedAllocationPlugin(),
        [ImageLocalityPlugin.PluginName] = h => new ImageLocalityPlugin(h),
        [DefaultBinderPlugin.PluginName] = h => new DefaultBinderPlugin(h),
    };

    /// <summary>(plugin, score weight) in upstream's default order (pkg/scheduler/apis/config/v1/default_plugins.go).</summary>
    public static IReadOnlyList<(string Name, int Weight)> Default { get; } =
    [
        (NodeUnschedulablePlugin.PluginName, 0),
        (NodeNamePlugin.PluginName, 0),
        (TaintTolerationPlugin.PluginName, 3),
        (NodeAffinityPlugin.PluginName, 2),
        (NodePortsPlugin.PluginName, 0),
        (NodeResourcesFitPlugin.PluginName, 1),
        (VolumeBindingPlugin.PluginName, 0),
        (PodTopologySpreadPlugin.PluginName, 2),
        (InterPodAffinityPlugin.PluginName, 2),
        (DefaultPreemptionPlugin.PluginName, 0),
        (NodeResourcesBalancedAllocationPlugin.PluginName, 1),
        (ImageLocalityPlugin.PluginName, 1),
        (DefaultBinderPlugin.PluginName, 0),
    ];

    public static IEnumerable<(Func<IFrameworkHandle, IPlugin> Factory, int Weight)> DefaultProfile =>
        Default.Select(p => (Factories[p.Name], p.Weight));
}
