using Flotilla.Api.Errors;
using Flotilla.Api.Selectors;
using Flotilla.ApiServer.Audit;
using Flotilla.ApiServer.Http;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// Impersonation (<c>kubectl --as</c>) and authorization of every authenticated request: members of
/// <c>system:masters</c> may do anything (upstream's privileged group), everyone else what RBAC grants; a denial is
/// a 403 with upstream's message.
/// </summary>
public sealed class AuthorizationFilter(Authorizer authorizer)
{

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Items[AuthenticationFilter.UserItem] is not UserInfo user)
        {
            await next();  // an anonymous request the authentication filter let through (health, version)
            return;
        }

        var audit = AuditContext.Of(context);
        try
        {
            var impersonated = Impersonate(context, user);
            if (!ReferenceEquals(impersonated, user))
            {
                audit?.LogImpersonatedUser(impersonated);
            }

            user = impersonated;
            context.Items[AuthenticationFilter.UserItem] = user;
            var attributes = Describe(context, user);
            var result = authorizer.Authorize(attributes);
            var allowed = result.Decision == AuthorizationDecision.Allow;
            audit?.Annotate(AuditContext.DecisionAnnotation, allowed ? "allow" : "forbid");
            audit?.Annotate(AuditContext.ReasonAnnotation, result.Reason);
            if (!allowed)
            {
                throw Forbidden(attributes, result.Reason);
            }
        }
        catch (StatusException e)
        {
            await ApiResponse.WriteStatusAsync(context, e);
            return;
        }

        await next();
    }

    private bool Allowed(Attributes attributes) => authorizer.Allows(attributes);

    private UserInfo Impersonate(HttpContext context, UserInfo user)
    {
        var name = context.Request.Headers["Impersonate-User"].ToString();
        var groups = context.Request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (name.Length == 0)
        {
            return groups.Count == 0 ? user : throw StatusException.BadRequest("requested impersonation of groups without impersonating a user");
        }

        var checks = groups.Select(g => new Attributes(user, "impersonate", true, Resource: "groups", Name: g))
            .Prepend(new Attributes(user, "impersonate", true, Resource: name.StartsWith("system:serviceaccount:", StringComparison.Ordinal) ? "serviceaccounts" : "users", Name: name));
        foreach (var check in checks)
        {
            if (!Allowed(check))
            {
                throw new StatusException(403, "Forbidden", $"{check.Resource} \"{check.Name}\" is forbidden: User \"{user.Name}\" cannot impersonate resource \"{check.Resource}\" in API group \"\" at the cluster scope",
                    new StatusDetails(check.Name, Kind: check.Resource));
            }
        }

        return new UserInfo(name, [.. groups, "system:authenticated"]);
    }

    /// <summary>The request as authorizers (and the audit policy) see it.</summary>
    internal static Attributes Describe(HttpContext context, UserInfo user)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var watch = QueryOptions.IsTrue(context.Request.Query["watch"].ToString());
        if (segments.Length > 0 && segments[0] is "api" or "apis" &&
            RequestInfoParser.Parse(segments[0] == "api", segments.Skip(1).ToList(), context.Request.Method, watch) is { } info)
        {
            var (name, fields) = (info.Name ?? string.Empty, (FieldSelector?)null);
            if (info.Verb is "list" or "watch" or "deletecollection" && FieldSelector.TryParse(context.Request.Query["fieldSelector"].ToString(), out var selector, out _) && !selector.IsEmpty)
            {
                fields = selector;

                // As upstream's RequestInfoFactory: a list or watch of one object by metadata.name is about that name.
                if (info.Verb != "deletecollection" && selector.TryGetExactMatch("metadata.name", out var single) && single is not ("" or "." or "..") && single.IndexOfAny(['/', '%']) < 0)
                {
                    name = single;
                }
            }

            return new Attributes(user, info.Verb, true, info.Group, info.Resource, info.Subresource ?? string.Empty, info.Namespace ?? string.Empty, name, path, fields);
        }

        return new Attributes(user, context.Request.Method.ToLowerInvariant(), false, Path: path);
    }

    /// <summary>Upstream's responsewriters.Forbidden: the denial, then the authorizers' reason when they gave one.</summary>
    private static StatusException Forbidden(Attributes a, string reason)
    {
        if (!a.IsResourceRequest)
        {
            return new StatusException(403, "Forbidden", $"forbidden: User \"{a.User.Name}\" cannot {a.Verb} path \"{a.Path}\"{Because(reason)}", new StatusDetails());
        }

        var resource = a.Subresource.Length == 0 ? a.Resource : $"{a.Resource}/{a.Subresource}";
        var scope = a.Namespace.Length == 0 ? "at the cluster scope" : $"in the namespace \"{a.Namespace}\"";
        var subject = a.Name.Length == 0 ? StatusException.Qualified(a.ApiGroup, a.Resource) : $"{StatusException.Qualified(a.ApiGroup, a.Resource)} \"{a.Name}\"";
        return new StatusException(403, "Forbidden",
            $"{subject} is forbidden: User \"{a.User.Name}\" cannot {a.Verb} resource \"{resource}\" in API group \"{a.ApiGroup}\" {scope}{Because(reason)}",
            new StatusDetails(a.Name.Length == 0 ? null : a.Name, a.ApiGroup.Length == 0 ? null : a.ApiGroup, a.Resource));
    }

    private static string Because(string reason) => reason.Length == 0 ? string.Empty : ": " + reason;
}
