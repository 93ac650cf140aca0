using Flotilla.ApiServer.Auth;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// A kind that records who created it (upstream's strategies read the user from the request context in
/// PrepareForCreate: a CertificateSigningRequest's <c>spec.username</c>, groups, uid and extra).
/// </summary>
public interface IStampsRequester
{
    void StampRequester(IKubernetesObject<V1ObjectMeta> obj, UserInfo user);
}
