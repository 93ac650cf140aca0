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
/// 5 min), the container waiting as <c>ErrImagePull</c>, then <c>ImagePullBackOff</c>. A pull uses the pod's
/// <c>imagePullSecrets</c> that apply to the image's registry (<see cref="RegistryCredentials"/>), each in turn until
/// one works, or none when none apply.
/// </summary>
public sealed class ImagePuller(IContainerRuntime runtime, IEventRecorder events, RestartBackOff backOff, TimeProvider time, Func<string, string, CancellationToken, Task<V1Secret?>>? readSecret = null)
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
            var imageRef = await PullAsync(image, await CredentialsAsync(pod, image, reference, cancellationToken), cancellationToken);
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

    /// <summary>Tries each login (or none); the last refusal is the one told.</summary>
    private async Task<string> PullAsync(string image, IReadOnlyList<RegistryAuth> logins, CancellationToken cancellationToken)
    {
        if (logins.Count == 0)
        {
            return await runtime.PullImageAsync(image, null, cancellationToken);
        }

        ImagePullException? last = null;
        foreach (var login in logins)
        {
            try
            {
                return await runtime.PullImageAsync(image, login, cancellationToken);
            }
            catch (ImagePullException e)
            {
                last = e;
            }
        }

        throw last!;
    }

    /// <summary>The pod's pull secrets' logins for the image; secrets that cannot be read are named in an event, as upstream's.</summary>
    private async Task<IReadOnlyList<RegistryAuth>> CredentialsAsync(V1Pod pod, string image, V1ObjectReference reference, CancellationToken cancellationToken)
    {
        if (readSecret is null || pod.Spec.ImagePullSecrets is not { Count: > 0 } names)
        {
            return [];
        }

        var secrets = new List<V1Secret>();
        var missing = new List<string>();
        foreach (var name in names.Select(n => n.Name).Where(n => !string.IsNullOrEmpty(n)))
        {
            if (await readSecret(pod.Metadata.NamespaceProperty, name, cancellationToken) is { } secret)
            {
                secrets.Add(secret);
            }
            else
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            events.Event(reference, EventTypes.Warning, "FailedToRetrieveImagePullSecret", $"Unable to retrieve some image pull secrets ({string.Join(", ", missing)}); attempting to pull the image may not succeed.");
        }

        return RegistryCredentials.For(image, secrets);
    }

    /// <summary>The pod is gone: its pull back-offs go with it.</summary>
    public void Forget(string podUid) => backOff.Forget(podUid + "_");
}
