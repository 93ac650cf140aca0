using Flotilla.ApiServer.Registry.Validation.Apps;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Apps;

/// <summary>ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers and ControllerRevisions.</summary>
public sealed class WorkloadValidationTests
{
    public static TheoryData<Case<V1ReplicaSet>> ReplicaSetCases => new()
    {
        new("valid", _ => { }),
        new("negative replicas", r => r.Spec.Replicas = -2, "spec.replicas: Invalid value: -2: must be greater than or equal to 0"),
        new("empty selector", r => r.Spec.Selector = new V1LabelSelector(), "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for deployment"),
        new("mismatch", r => r.Spec.Selector = ValidObjects.Selector("api"), "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"),
        new("restartPolicy", r => r.Spec.Template.Spec.RestartPolicy = "Never", "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""),
    };

    public static TheoryData<Case<V1StatefulSet>> StatefulSetCases => new()
    {
        new("valid", _ => { }),
        new("pod management policy", s => s.Spec.PodManagementPolicy = "Random", "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"),
        new("update strategy", s => s.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "Recreate" }, "spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Recreate\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"),
        new("OnDelete with rolling update", s => s.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 1 } }, "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"),
        new("negative partition", s => s.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = -1 } }, "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"),
        new("zero max unavailable", s => s.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { RollingUpdate = new V1RollingUpdateStatefulSetStrategy { MaxUnavailable = 0 } }, "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"),
        new("retention policy", s => s.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Keep" }, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\""),
        new("negative start ordinal", s => s.Spec.Ordinals = new V1StatefulSetOrdinals { Start = -1 }, "spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0"),
        new("empty selector", s => s.Spec.Selector = new V1LabelSelector(), "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for statefulset"),
        new("mismatch", s => s.Spec.Template.Metadata.Labels["app"] = "db", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"db\"}: `selector` does not match template `labels`"),
        new("pod spec is not validated", s => s.Spec.Template.Spec.Containers[0].Image = null),
        new("restartPolicy", s => s.Spec.Template.Spec.RestartPolicy = "Never", "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""),
        new("deadline", s => s.Spec.Template.Spec.ActiveDeadlineSeconds = 5, "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"),
    };

    public static TheoryData<Case<V1DaemonSet>> DaemonSetCases => new()
    {
        new("valid", _ => { }),
        new("no selector", d => d.Spec.Selector = null, "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"),
        new("empty selector", d => d.Spec.Selector = new V1LabelSelector(), "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}: empty selector is invalid for daemonset"),
        new("deadline", d => d.Spec.Template.Spec.ActiveDeadlineSeconds = 5, "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"),
        new("strategy type", d => d.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "Recreate" }, "spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Recreate\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\""),
        new("surge and unavailable", d => d.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy { RollingUpdate = new V1RollingUpdateDaemonSet { MaxSurge = 1, MaxUnavailable = 1 } }, "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"),
        new("neither surge nor unavailable", d => d.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy { RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 0 } }, "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"),
        new("surge only", d => d.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy { RollingUpdate = new V1RollingUpdateDaemonSet { MaxSurge = "10%", MaxUnavailable = 0 } }),
    };

    [Theory]
    [MemberData(nameof(ReplicaSetCases))]
    public void Validate_ReplicaSet_UpstreamErrors(Case<V1ReplicaSet> row)
    {
        var replicaSet = ValidObjects.ReplicaSet();
        row.Break(replicaSet);

        Errors.Equal(ReplicaSetValidation.Validate(replicaSet), row.Expected);
    }

    [Theory]
    [MemberData(nameof(StatefulSetCases))]
    public void Validate_StatefulSet_UpstreamErrors(Case<V1StatefulSet> row)
    {
        var statefulSet = ValidObjects.StatefulSet();
        row.Break(statefulSet);

        Errors.Equal(StatefulSetValidation.Validate(statefulSet), row.Expected);
    }

    [Theory]
    [MemberData(nameof(DaemonSetCases))]
    public void Validate_DaemonSet_UpstreamErrors(Case<V1DaemonSet> row)
    {
        var daemonSet = ValidObjects.DaemonSet();
        row.Break(daemonSet);

        Errors.Equal(DaemonSetValidation.Validate(daemonSet), row.Expected);
    }

    [Fact]
    public void ValidateUpdate_StatefulSetServiceName_Forbidden()
    {
        var old = ValidObjects.StatefulSet();
        var statefulSet = ValidObjects.StatefulSet();
        statefulSet.Spec.ServiceName = "other";

        Errors.Equal(
            StatefulSetValidation.ValidateUpdate(statefulSet, old),
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }

    [Fact]
    public void ValidateUpdate_StatefulSetReplicasTemplateAndDefaults_Allowed()
    {
        var old = ValidObjects.StatefulSet();
        old.Spec.PodManagementPolicy = "OrderedReady";
        old.Spec.RevisionHistoryLimit = 10;
        var statefulSet = ValidObjects.StatefulSet();
        statefulSet.Spec.Replicas = 3;
        statefulSet.Spec.Template.Spec.Containers[0].Image = "postgres:17";

        Errors.Equal(StatefulSetValidation.ValidateUpdate(statefulSet, old));
    }

    [Fact]
    public void ValidateUpdate_DaemonSetSelector_Immutable()
    {
        var old = ValidObjects.DaemonSet();
        var daemonSet = ValidObjects.DaemonSet();
        daemonSet.Spec.Selector.MatchLabels["tier"] = "node";
        daemonSet.Spec.Template.Metadata.Labels["tier"] = "node";

        Errors.Equal(
            DaemonSetValidation.ValidateUpdate(daemonSet, old),
            "spec.selector: Invalid value: &LabelSelector{MatchLabels:map[string]string{app: web,tier: node,},MatchExpressions:[]LabelSelectorRequirement{},}: field is immutable");
    }

    [Fact]
    public void Validate_ReplicationControllerWithoutSelector_UsesTemplateLabels() =>
        Errors.Equal(ReplicationControllerValidation.Validate(new V1ReplicationController { Metadata = ValidObjects.Meta(), Spec = new V1ReplicationControllerSpec { Template = ValidObjects.Template() } }));

    [Fact]
    public void Validate_ReplicationControllerMismatch_UpstreamError()
    {
        var controller = ValidObjects.ReplicationController();
        controller.Spec.Selector["app"] = "api";

        Errors.Equal(ReplicationControllerValidation.Validate(controller), "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
    }

    [Fact]
    public void Validate_ControllerRevisionWithoutData_Required() =>
        Errors.Equal(ControllerRevisionValidation.Validate(new V1ControllerRevision { Metadata = ValidObjects.Meta(), Revision = -1 }), "data: Required value: data is mandatory", "revision: Invalid value: -1: must be greater than or equal to 0");
}
