using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// Work a kind's storage does around writes that is not a pure strategy step: allocating cluster IPs and node ports
/// before a Service is stored, and releasing them when a write fails or the object goes away.
/// </summary>
public interface IStorageHooks
{
    /// <summary>Before create; returns an undo run when the create does not happen.</summary>
    Action BeforeCreate(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>Before update; returns an undo run when the update does not happen.</summary>
    Action BeforeUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>After an update is stored: releases what only the old object held.</summary>
    void AfterUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>After the object is gone from the store.</summary>
    void AfterDelete(IKubernetesObject<V1ObjectMeta> obj);
}
