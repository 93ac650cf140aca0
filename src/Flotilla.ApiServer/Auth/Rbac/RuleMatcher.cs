using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>Whether one PolicyRule allows a request (upstream's rbac RuleAllows: verbs, groups, resources, names, URLs).</summary>
public static class RuleMatcher
{
    public static bool Allows(V1PolicyRule rule, Attributes request)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(request);
        if (!Has(rule.Verbs, request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return rule.NonResourceURLs?.Any(url => url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal))) == true;
        }

        var resource = request.Subresource.Length == 0 ? request.Resource : $"{request.Resource}/{request.Subresource}";
        return Has(rule.ApiGroups, request.ApiGroup)
            && (Has(rule.Resources, resource) || (request.Subresource.Length > 0 && Has(rule.Resources, $"*/{request.Subresource}")))
            && (rule.ResourceNames is null || rule.ResourceNames.Count == 0 || rule.ResourceNames.Contains(request.Name));
    }

    private static bool Has(IList<string>? values, string value) => values is not null && (values.Contains("*") || values.Contains(value));
}
