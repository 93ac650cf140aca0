using k8s;
using k8s.Models;

namespace Flotilla.Client.Informers;

/// <summary>One line of a watch stream: the object, or for <see cref="WatchEventType.Error"/> the server's Status.</summary>
public readonly record struct WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Status = null);
