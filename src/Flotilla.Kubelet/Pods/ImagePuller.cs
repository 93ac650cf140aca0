using System.Diagnostics;
using System.Globalization;
using Flotilla.Api.Serialization;
using Flotilla.Client.Events;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Status;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Makes sure a container's image is on the node before it is created, per its <c>imagePullPolicy</c> (upstream's
/// image manager EnsureImageExists), with its events; a failed pull backs off per pod and image (10 s doubling to
/// 5 min), the container waiting as <c>ErrImagePull</c>, then <c>ImagePullBackOff</c>.
/// </summary>
public sealed class ImagePuller(IContainerRuntime runtime, IEventRecorder events, RestartBackOff backOff, TimeProvider time)
{
    /// <summary>The image's reference when it is there, else why the container waits.</summary>
    public async Task<(string? ImageRef, ContainerWaiting? Waiting)> EnsureAsync(V1Pod pod, V1Container container, V1ObjectReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var image = container.Image;
        var present = await runtime.ImageStatusAsync(image, cancellationToken);
        var policy = container.ImagePullPolicy ?? "IfNotPresent";  // the API server defaults it
        if (policy == "Never" || (policy == "IfNotPresent" && present is not null))
        {
            if (present is not null)
            {
                events.Event(reference, EventTypes.Normal, "Pulled", $"Container image \"{image}\" already present on machine");
                return (present, null);
            }

            var never = $"Container image \"{image}\" is not present with pull policy of Never";
            events.Event(reference, EventTypes.Warning, "ErrImageNeverPull", never);
            return (null, new ContainerWaiting("ErrImageNeverPull", never));
        }

        var key = $"{pod.Metadata.Uid}_{image}";
        if (backOff.InBackOffSinceUpdate(key, time.GetUtcNow()) is (true, var left))
        {
            var message = $"Back-off pulling image \"{image}\"";
            events.Event(reference, EventTypes.Normal, "BackOff", message);
            events.Event(reference, EventTypes.Warning, "Failed", "Error: ImagePullBackOff");
            return (null, new ContainerWaiting("ImagePullBackOff", message, left));
        }

        events.Event(reference, EventTypes.Normal, "Pulling", $"Pulling image \"{image}\"");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var imageRef = await runtime.PullImageAsync(image, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var took = GoDuration.Format(TimeSpan.FromMilliseconds(Math.Floor(elapsed.TotalMilliseconds)));  // to the millisecond, as upstream truncates
            var size = (await runtime.ListImagesAsync(cancellationToken)).FirstOrDefault(i => i.Names.Contains(image))?.SizeBytes ?? 0;
            events.Event(reference, EventTypes.Normal, "Pulled", string.Create(CultureInfo.InvariantCulture, $"Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {size} bytes."));
            return (imageRef, null);
        }
        catch (ImagePullException e)
        {
            backOff.Restarted(key, time.GetUtcNow());
            events.Event(reference, EventTypes.Warning, "Failed", $"Failed to pull image \"{image}\": {e.Message}");
            events.Event(reference, EventTypes.Warning, "Failed", "Error: ErrImagePull");
            return (null, new ContainerWaiting("ErrImagePull", e.Message));
        }
    }

    /// <summary>The pod is gone: its pull back-offs go with it.</summary>
    public void Forget(string podUid) => backOff.Forget(podUid + "_");
}
