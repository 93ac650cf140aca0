using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>The rules that apply to a user, and why the list may be short (bindings to roles that do not exist).</summary>
public sealed record ResolvedRules(IReadOnlyList<V1PolicyRule> Rules, IReadOnlyList<string> Errors)
{
    /// <summary>The errors as upstream's utilerrors.NewAggregate prints them: the one message, or <c>[a, b]</c>.</summary>
    public string? ErrorText => Errors.Count switch
    {
        0 => null,
        1 => Errors[0],
        _ => "[" + string.Join(", ", Errors) + "]",
    };
}
