namespace Flotilla.Ingress.Routing;

/// <summary>The Ingress path types' matching rules (networking/v1 HTTPIngressPath).</summary>
public static class PathMatch
{
    /// <summary>
    /// <c>Exact</c>: the whole path, case-sensitive. <c>Prefix</c> (and <c>ImplementationSpecific</c>, which this
    /// controller treats as Prefix, as ingress-nginx does without its regex annotation): element-wise by <c>/</c>, a
    /// trailing slash ignored — <c>/foo</c> matches <c>/foo</c>, <c>/foo/</c> and <c>/foo/bar</c>, not <c>/foobar</c>.
    /// </summary>
    public static bool Matches(string pathType, string rulePath, string requestPath)
    {
        ArgumentNullException.ThrowIfNull(rulePath);
        ArgumentNullException.ThrowIfNull(requestPath);
        if (pathType == "Exact")
        {
            return string.Equals(rulePath, requestPath, StringComparison.Ordinal);
        }

        var prefix = rulePath.TrimEnd('/');
        if (prefix.Length == 0)
        {
            return true;
        }

        return requestPath.StartsWith(prefix, StringComparison.Ordinal)
            && (requestPath.Length == prefix.Length || requestPath[prefix.Length] == '/');
    }
}
