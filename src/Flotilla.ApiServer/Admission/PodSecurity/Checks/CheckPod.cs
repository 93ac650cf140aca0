using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>One version of a check: looks at a pod's (or pod template's) metadata and spec, never changes them.</summary>
public delegate CheckResult CheckPod(V1ObjectMeta metadata, V1PodSpec spec);
