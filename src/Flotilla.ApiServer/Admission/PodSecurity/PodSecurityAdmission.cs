using Flotilla.Api.Serialization;
using Flotilla.Api.Errors;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Admission.PodSecurity.Checks;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Registry.Validation;
using Flotilla.ApiServer.Watch;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>
/// Upstream's built-in PodSecurity admission (pod-security-admission's admission.go): a namespace's
/// <c>pod-security.kubernetes.io/*</c> labels pick a level and version per mode. Enforce refuses pods that violate it
/// (403); warn answers with a <c>Warning</c> header and audit records an audit annotation, for pods and for the pod
/// templates of workloads. Namespace labels are validated, and tightening enforce warns about existing pods.
/// </summary>
public sealed class PodSecurityAdmission(PodSecurityConfiguration configuration, IPodSecurityLookup lookup, PodSecurityEvaluator evaluator, TimeProvider time)
    : IValidatingAdmission
{
    // Subresources that cannot change a pod's spec; any other (ephemeralcontainers, ...) is checked.
    private static readonly HashSet<string> IgnoredPodSubresources = new(StringComparer.Ordinal)
    {
        "exec", "attach", "binding", "eviction", "log", "portforward", "proxy", "status",
    };

    private readonly ExistingPodsCheck _existingPods = new(evaluator, configuration, time);

    public string Name => "PodSecurity";

    public static PodSecurityAdmission FromServices(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new PodSecurityAdmission(
            services.GetService<PodSecurityConfiguration>() ?? PodSecurityConfiguration.Default,
            new CachedPodSecurityLookup(services.GetRequiredService<CacheSet>(), services.GetRequiredService<ResourceRegistry>()),
            PodSecurityEvaluator.Default,
            services.GetService<TimeProvider>() ?? TimeProvider.System);
    }

    public async ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation is not (AdmissionOperation.Create or AdmissionOperation.Update))
        {
            return;
        }

        var resource = request.Resource;
        if (resource.Group.Length == 0 && resource.Plural == "namespaces")
        {
            await ValidateNamespaceAsync(request, cancellationToken);
        }
        else if (resource.Group.Length == 0 && resource.Plural == "pods")
        {
            await ValidatePodAsync(request, cancellationToken);
        }
        else if (PodSpecExtractor.HasPodSpec(resource))
        {
            await ValidateWorkloadAsync(request, cancellationToken);
        }
    }

    private async Task ValidateNamespaceAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Subresource.Length > 0 || request.Object is not V1Namespace ns)
        {
            return;
        }

        var name = ns.Metadata?.Name ?? request.Name;
        var policy = NamespacePolicy.FromLabels(ns.Metadata?.Labels, configuration.Defaults, out var errors);
        if (request.Operation == AdmissionOperation.Create)
        {
            ThrowIfInvalid(name, errors);
            if (ExemptNamespace(name))
            {
                WarnExemptNamespace(request, name, policy, ns.Metadata?.Labels);
            }

            return;
        }

        var old = NamespacePolicy.FromLabels((request.OldObject as V1Namespace)?.Metadata?.Labels, configuration.Defaults, out var oldErrors);
        if (errors.Count > 0 && (oldErrors.Count == 0 || !errors.SequenceEqual(oldErrors)))
        {
            ThrowIfInvalid(name, errors);
        }

        // Existing pods are checked only when enforce got stricter: another version, or the same version at a stricter level.
        if (policy.Enforce == old.Enforce || policy.Enforce.Level == PodSecurityLevel.Privileged ||
            (policy.Enforce.Version == old.Enforce.Version && policy.Enforce.Level <= old.Enforce.Level))
        {
            return;
        }

        if (ExemptNamespace(name))
        {
            WarnExemptNamespace(request, name, policy, ns.Metadata?.Labels);
            return;
        }

        foreach (var warning in _existingPods.Warnings(name, policy.Enforce, await lookup.ListPodsAsync(name, cancellationToken)))
        {
            request.Warn(warning);
        }
    }

    private async Task ValidatePodAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (IgnoredPodSubresources.Contains(request.Subresource) || Exempt(request))
        {
            return;
        }

        var ns = await lookup.GetNamespaceAsync(request.Namespace, cancellationToken)
            ?? throw StatusException.Internal($"failed to lookup namespace {GoQuote.Quote(request.Namespace)}");
        var policy = NamespacePolicy.FromLabels(ns.Metadata?.Labels, configuration.Defaults, out var errors);
        if (errors.Count == 0 && policy.FullyPrivileged)
        {
            Annotate(request, PodSecurityLabels.EnforcePolicyAnnotation, LevelVersion.PrivilegedLatest.ToString());
            return;
        }

        if (request.Object is not V1Pod pod)
        {
            throw StatusException.BadRequest("failed to decode pod");
        }

        if (request.Operation == AdmissionOperation.Update && request.OldObject is V1Pod old && !PodUpdates.IsSignificant(pod, old))
        {
            return;
        }

        Evaluate(request, policy, errors, pod.Metadata ?? new V1ObjectMeta(), pod.Spec ?? new V1PodSpec(), enforce: true);
    }

    private async Task ValidateWorkloadAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Subresource.Length > 0 || Exempt(request))
        {
            return;
        }

        // A workload is never refused: a failed lookup is only recorded.
        var ns = await lookup.GetNamespaceAsync(request.Namespace, cancellationToken);
        if (ns is null)
        {
            Annotate(request, PodSecurityLabels.ErrorAnnotation, $"failed to lookup namespace {GoQuote.Quote(request.Namespace)}: namespaces {GoQuote.Quote(request.Namespace)} not found");
            return;
        }

        var policy = NamespacePolicy.FromLabels(ns.Metadata?.Labels, configuration.Defaults, out var errors);
        if (errors.Count == 0 && policy.Warn.Level == PodSecurityLevel.Privileged && policy.Audit.Level == PodSecurityLevel.Privileged)
        {
            return;
        }

        var (metadata, spec) = request.Object is null ? (null, null) : PodSpecExtractor.Extract(request.Object);
        if (metadata is null || spec is null)
        {
            return;
        }

        Evaluate(request, policy, errors, metadata, spec, enforce: false);
    }

    // Upstream's EvaluatePod: enforce (pods only), then audit, then warn unless the request is refused; a result is
    // reused when two modes share a level and version.
    private void Evaluate(AdmissionRequest request, NamespacePolicy policy, IReadOnlyList<FieldError> errors, V1ObjectMeta metadata, V1PodSpec spec, bool enforce)
    {
        if (spec.RuntimeClassName is { Length: > 0 } runtimeClass && configuration.ExemptRuntimeClasses.Contains(runtimeClass))
        {
            Annotate(request, PodSecurityLabels.ExemptAnnotation, "runtimeClass");
            return;
        }

        if (errors.Count > 0)
        {
            Annotate(request, PodSecurityLabels.ErrorAnnotation, $"Failed to parse policy: {ErrorAggregate.Message(errors)}");
        }

        var results = new Dictionary<LevelVersion, AggregateResult>();
        AggregateResult Result(LevelVersion lv)
        {
            if (!results.TryGetValue(lv, out var result))
            {
                results[lv] = result = evaluator.Evaluate(lv, metadata, spec);
            }

            return result;
        }

        StatusException? refusal = null;
        if (enforce)
        {
            Annotate(request, PodSecurityLabels.EnforcePolicyAnnotation, policy.Enforce.ToString());
            var result = Result(policy.Enforce);
            if (!result.Allowed)
            {
                refusal = request.Forbidden($"violates PodSecurity {GoQuote.Quote(policy.Enforce.ToString())}: {result.ForbiddenDetail()}");
            }
        }

        var audit = Result(policy.Audit);
        if (!audit.Allowed)
        {
            Annotate(request, PodSecurityLabels.AuditViolationsAnnotation, $"would violate PodSecurity {GoQuote.Quote(policy.Audit.ToString())}: {audit.ForbiddenDetail()}");
        }

        if (refusal is not null)
        {
            throw refusal;
        }

        var warn = Result(policy.Warn);
        if (!warn.Allowed)
        {
            request.Warn($"would violate PodSecurity {GoQuote.Quote(policy.Warn.ToString())}: {warn.ForbiddenDetail()}");
        }
    }

    private bool Exempt(AdmissionRequest request)
    {
        if (ExemptNamespace(request.Namespace))
        {
            Annotate(request, PodSecurityLabels.ExemptAnnotation, "namespace");
            return true;
        }

        if (request.User.Name.Length > 0 && configuration.ExemptUsernames.Contains(request.User.Name))
        {
            Annotate(request, PodSecurityLabels.ExemptAnnotation, "user");
            return true;
        }

        return false;
    }

    private bool ExemptNamespace(string ns) => ns.Length > 0 && configuration.ExemptNamespaces.Contains(ns);

    // Upstream's exemptNamespaceWarning: an exempt namespace asking for a non-default, non-privileged policy.
    private void WarnExemptNamespace(AdmissionRequest request, string name, NamespacePolicy policy, IDictionary<string, string>? labels)
    {
        if (policy.FullyPrivileged || policy.Equivalent(configuration.Defaults))
        {
            return;
        }

        bool Has(string level, string version) => labels is not null && (labels.ContainsKey(level) || labels.ContainsKey(version));
        var modes = new List<string>();
        if (policy.Enforce.Level != PodSecurityLevel.Privileged && Has(PodSecurityLabels.Enforce, PodSecurityLabels.EnforceVersion))
        {
            modes.Add($"enforce={policy.Enforce}");
        }

        if (policy.Audit.Level != PodSecurityLevel.Privileged && Has(PodSecurityLabels.Audit, PodSecurityLabels.AuditVersion))
        {
            modes.Add($"audit={policy.Audit}");
        }

        if (policy.Warn.Level != PodSecurityLevel.Privileged && Has(PodSecurityLabels.Warn, PodSecurityLabels.WarnVersion))
        {
            modes.Add($"warn={policy.Warn}");
        }

        request.Warn($"namespace {GoQuote.Quote(name)} is exempt from Pod Security, and the policy ({string.Join(", ", modes)}) will be ignored");
    }

    private static void ThrowIfInvalid(string name, IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw StatusException.Invalid("", "Namespace", name, errors);
        }
    }

    // As upstream's audit.AddAuditAnnotation: the first value recorded for a key stays.
    private static void Annotate(AdmissionRequest request, string key, string value) => request.AuditAnnotations.TryAdd(key, value);
}
