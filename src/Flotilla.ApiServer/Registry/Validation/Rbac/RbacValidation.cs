using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Rbac;

/// <summary>Upstream's rbac validation: policy rules, role references and subjects, the fixed roleRef.</summary>
public static class RbacValidation
{
    public const string GroupName = "rbac.authorization.k8s.io";

    public static List<FieldError> ValidateRole(V1Role role) =>
        [.. (role.Rules ?? []).SelectMany((rule, i) => PolicyRule(rule, namespaced: true, FieldPath.Root("rules").Index(i)))];

    public static List<FieldError> ValidateClusterRole(V1ClusterRole role)
    {
        var errors = (role.Rules ?? []).SelectMany((rule, i) => PolicyRule(rule, namespaced: false, FieldPath.Root("rules").Index(i))).ToList();
        if (role.AggregationRule is { } aggregation)
        {
            var path = FieldPath.Root("aggregationRule").Child("clusterRoleSelectors");
            var selectors = aggregation.ClusterRoleSelectors ?? [];
            if (selectors.Count == 0)
            {
                errors.Add(FieldError.Required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            }

            for (var i = 0; i < selectors.Count; i++)
            {
                errors.AddRange(LabelSelectorValidation.Validate(selectors[i], path.Index(i)));
                if (!LabelSelectorValidation.TryBuild(selectors[i], out _))
                {
                    errors.Add(FieldError.Invalid(path.Index(i), GoSyntax.LabelSelector(selectors[i]), "invalid label selector."));
                }
            }
        }

        return errors;
    }

    public static List<FieldError> ValidateRoleBinding(V1RoleBinding binding) => Binding(binding.RoleRef, binding.Subjects, namespaced: true);

    public static List<FieldError> ValidateClusterRoleBinding(V1ClusterRoleBinding binding) => Binding(binding.RoleRef, binding.Subjects, namespaced: false);

    public static List<FieldError> ValidateRoleBindingUpdate(V1RoleBinding binding, V1RoleBinding old) =>
        [.. ValidateRoleBinding(binding), .. FixedRoleRef(binding.RoleRef, old.RoleRef)];

    public static List<FieldError> ValidateClusterRoleBindingUpdate(V1ClusterRoleBinding binding, V1ClusterRoleBinding old) =>
        [.. ValidateClusterRoleBinding(binding), .. FixedRoleRef(binding.RoleRef, old.RoleRef)];

    private static IEnumerable<FieldError> PolicyRule(V1PolicyRule rule, bool namespaced, FieldPath path)
    {
        if (rule.Verbs is not { Count: > 0 })
        {
            yield return FieldError.Required(path.Child("verbs"), "verbs must contain at least one value");
        }

        if (rule.NonResourceURLs is { Count: > 0 } urls)
        {
            if (namespaced)
            {
                yield return FieldError.Invalid(path.Child("nonResourceURLs"), GoSyntax.StringSlice(urls), "namespaced rules cannot apply to non-resource URLs");
            }

            if (rule.ApiGroups is { Count: > 0 } || rule.Resources is { Count: > 0 } || rule.ResourceNames is { Count: > 0 })
            {
                yield return FieldError.Invalid(path.Child("nonResourceURLs"), GoSyntax.StringSlice(urls), "rules cannot apply to both regular resources and non-resource URLs");
            }

            yield break;
        }

        if (rule.ApiGroups is not { Count: > 0 })
        {
            yield return FieldError.Required(path.Child("apiGroups"), "resource rules must supply at least one api group");
        }

        if (rule.Resources is not { Count: > 0 })
        {
            yield return FieldError.Required(path.Child("resources"), "resource rules must supply at least one resource");
        }
    }

    private static List<FieldError> Binding(V1RoleRef? roleRef, IList<Rbacv1Subject>? subjects, bool namespaced)
    {
        var errors = new List<FieldError>();
        var path = FieldPath.Root("roleRef");

        // roleRef.apiGroup defaults to rbac.authorization.k8s.io.
        var apiGroup = string.IsNullOrEmpty(roleRef?.ApiGroup) ? GroupName : roleRef.ApiGroup;
        if (apiGroup != GroupName)
        {
            errors.Add(FieldError.NotSupported(path.Child("apiGroup"), apiGroup, [GroupName]));
        }

        string[] kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
        if (!kinds.Contains(roleRef?.Kind ?? string.Empty))
        {
            errors.Add(FieldError.NotSupported(path.Child("kind"), roleRef?.Kind ?? string.Empty, kinds));
        }

        if (string.IsNullOrEmpty(roleRef?.Name))
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }
        else
        {
            errors.AddRange(FieldChecks.Name(roleRef.Name, NameValidation.NameIsPathSegment, path.Child("name")));
        }

        for (var i = 0; i < (subjects?.Count ?? 0); i++)
        {
            errors.AddRange(Subject(subjects![i], namespaced, FieldPath.Root("subjects").Index(i)));
        }

        return errors;
    }

    private static IEnumerable<FieldError> Subject(Rbacv1Subject subject, bool namespaced, FieldPath path)
    {
        var name = subject.Name ?? string.Empty;
        if (name.Length == 0)
        {
            yield return FieldError.Required(path.Child("name"));
        }

        switch (subject.Kind)
        {
            case "ServiceAccount":
                if (name.Length > 0)
                {
                    foreach (var e in FieldChecks.Name(name, NameValidation.NameIsDnsSubdomain, path.Child("name")))
                    {
                        yield return e;
                    }
                }

                if (!string.IsNullOrEmpty(subject.ApiGroup))
                {
                    yield return FieldError.NotSupported(path.Child("apiGroup"), subject.ApiGroup, [string.Empty]);
                }

                if (!namespaced && string.IsNullOrEmpty(subject.NamespaceProperty))
                {
                    yield return FieldError.Required(path.Child("namespace"));
                }

                break;
            case "User" or "Group":
                // apiGroup defaults to rbac.authorization.k8s.io for users and groups.
                if (!string.IsNullOrEmpty(subject.ApiGroup) && subject.ApiGroup != GroupName)
                {
                    yield return FieldError.NotSupported(path.Child("apiGroup"), subject.ApiGroup, [GroupName]);
                }

                break;
            default:
                yield return FieldError.NotSupported(path.Child("kind"), subject.Kind ?? string.Empty, ["ServiceAccount", "User", "Group"]);
                break;
        }
    }

    private static IEnumerable<FieldError> FixedRoleRef(V1RoleRef? roleRef, V1RoleRef? old)
    {
        static (string, string?, string?) Key(V1RoleRef? r) => (string.IsNullOrEmpty(r?.ApiGroup) ? GroupName : r.ApiGroup, r?.Kind, r?.Name);
        return Key(roleRef) == Key(old) ? [] : [FieldError.Invalid(FieldPath.Root("roleRef"), GoSyntax.RoleRef(roleRef), "cannot change roleRef")];
    }
}
