using Flotilla.ApiServer.Auth;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// Evaluates an audit policy as kube-apiserver's policy checker does: the first matching rule wins, its omitted
/// stages are joined with the policy's, and no match means None. One rule is Flotilla's own and not the policy's to
/// change: Secrets are never logged beyond Metadata, so their data never reaches the log.
/// </summary>
public sealed class AuditPolicyChecker
{
    private readonly AuditPolicy _policy;
    private readonly RequestAuditConfig[] _configs;
    private readonly RequestAuditConfig _unmatched;

    public AuditPolicyChecker(AuditPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _configs = [.. policy.Rules.Select(r => new RequestAuditConfig(
            r.Level,
            policy.OmitStages.Concat(r.OmitStages).ToHashSet(),
            r.OmitManagedFields ?? policy.OmitManagedFields))];
        _unmatched = new RequestAuditConfig(AuditLevel.None, policy.OmitStages.ToHashSet(), policy.OmitManagedFields);
    }

    /// <summary>
    /// The config for <paramref name="request"/>; a user with an empty name is an unauthenticated request, which
    /// rules naming users or groups never match.
    /// </summary>
    public RequestAuditConfig Evaluate(Attributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var i = 0; i < _configs.Length; i++)
        {
            if (Matches(_policy.Rules[i], request))
            {
                var config = _configs[i];
                return IsSecret(request) && config.Level > AuditLevel.Metadata ? config with { Level = AuditLevel.Metadata } : config;
            }
        }

        return _unmatched;
    }

    private static bool IsSecret(Attributes request) =>
        request.IsResourceRequest && request.ApiGroup.Length == 0 && request.Resource == "secrets";

    private static bool Matches(AuditPolicyRule rule, Attributes request)
    {
        var user = request.User;
        if (rule.Users.Count > 0 && (user.Name.Length == 0 || !rule.Users.Contains(user.Name)))
        {
            return false;
        }

        if (rule.UserGroups.Count > 0 && !user.Groups.Any(rule.UserGroups.Contains))
        {
            return false;
        }

        if (rule.Verbs.Count > 0 && !rule.Verbs.Contains(request.Verb))
        {
            return false;
        }

        if (rule.Namespaces.Count > 0 || rule.Resources.Count > 0)
        {
            return MatchesResource(rule, request);
        }

        return rule.NonResourceUrls.Count == 0 || MatchesNonResource(rule, request);
    }

    private static bool MatchesNonResource(AuditPolicyRule rule, Attributes request) =>
        !request.IsResourceRequest && rule.NonResourceUrls.Any(spec => PathMatches(request.Path, spec));

    private static bool PathMatches(string path, string spec) =>
        spec == "*" || spec == path || (spec.EndsWith('*') && path.StartsWith(spec.TrimEnd('*'), StringComparison.Ordinal));

    private static bool MatchesResource(AuditPolicyRule rule, Attributes request)
    {
        if (!request.IsResourceRequest)
        {
            return false;
        }

        // Cluster-scoped resources have the empty namespace.
        if (rule.Namespaces.Count > 0 && !rule.Namespaces.Contains(request.Namespace))
        {
            return false;
        }

        if (rule.Resources.Count == 0)
        {
            return true;
        }

        var resource = request.Resource;
        var subresource = request.Subresource;
        var combined = subresource.Length == 0 ? resource : $"{resource}/{subresource}";
        foreach (var group in rule.Resources)
        {
            if (group.Group != request.ApiGroup)
            {
                continue;
            }

            if (group.Resources.Count == 0)
            {
                return true;
            }

            if (group.ResourceNames.Count > 0 && !group.ResourceNames.Contains(request.Name))
            {
                continue;
            }

            foreach (var spec in group.Resources)
            {
                if (spec == combined || spec == "*" ||
                    (subresource.Length > 0 && spec.StartsWith("*/", StringComparison.Ordinal) && spec.AsSpan(2).SequenceEqual(subresource)) ||
                    (spec.EndsWith("/*", StringComparison.Ordinal) && spec.AsSpan(0, spec.Length - 2).SequenceEqual(resource)))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
