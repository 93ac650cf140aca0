namespace Flotilla.Kubelet.Volumes;

/// <summary>A volume that cannot be set up; the message is the FailedMount event's (<c>MountVolume.SetUp failed for volume "x" : ...</c>).</summary>
public sealed class VolumeMountException(string volume, string reason)
    : Exception($"MountVolume.SetUp failed for volume \"{volume}\" : {reason}")
{
    public string Volume { get; } = volume;
}
