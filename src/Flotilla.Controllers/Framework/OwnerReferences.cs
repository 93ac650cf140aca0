using System.Text.Json;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Framework;

/// <summary>Controller references (upstream metav1.GetControllerOf / NewControllerRef) and the patches that set them.</summary>
public static class OwnerReferences
{
    public static V1OwnerReference? ControllerOf(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);

    public static V1OwnerReference ControllerRef(IKubernetesObject<V1ObjectMeta> owner, string apiVersion, string kind) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, BlockOwnerDeletion = true, Controller = true };

    /// <summary>
    /// The strategic merge patch that makes <paramref name="owner"/> the controller of the object with
    /// <paramref name="uid"/> (the uid makes the patch fail if the object was replaced meanwhile).
    /// </summary>
    public static string AdoptPatch(V1OwnerReference owner, string uid) =>
        JsonSerializer.Serialize(new
        {
            metadata = new
            {
                ownerReferences = new[] { new { apiVersion = owner.ApiVersion, kind = owner.Kind, name = owner.Name, uid = owner.Uid, controller = true, blockOwnerDeletion = true } },
                uid,
            },
        });

    /// <summary>The strategic merge patch that removes the owner reference with <paramref name="ownerUid"/>.</summary>
    public static string ReleasePatch(string ownerUid, string uid) =>
        "{\"metadata\":{\"ownerReferences\":[{\"$patch\":\"delete\",\"uid\":" + JsonSerializer.Serialize(ownerUid) + "}],\"uid\":" + JsonSerializer.Serialize(uid) + "}}";
}
