using System.Text;
using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// The request-only kinds: SelfSubjectReview (<c>kubectl auth whoami</c>), SelfSubjectAccessReview
/// (<c>kubectl auth can-i</c>), SelfSubjectRulesReview (<c>kubectl auth can-i --list</c>) and SubjectAccessReview
/// (components asking about someone else). Answered from the request's user and the authorizer; nothing is stored.
/// </summary>
public static class ReviewHandler
{
    private static readonly UserInfo Anonymous = new("system:anonymous", ["system:unauthenticated"]);

    public static async Task CreateAsync(HttpContext context, ResourceStorage storage)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        var json = RequestBody.ToJson(await RequestBody.ReadAsync(context.Request, context.RequestAborted), context.Request.ContentType);
        var user = context.Items[AuthenticationFilter.UserItem] as UserInfo ?? Anonymous;
        var authorizer = context.RequestServices.GetRequiredService<Authorizer>();
        object answer = storage.Resource.Kind switch
        {
            "SelfSubjectReview" => new V1SelfSubjectReview
            {
                ApiVersion = storage.Resource.ApiVersion,
                Kind = storage.Resource.Kind,
                Metadata = new V1ObjectMeta { CreationTimestamp = null },
                Status = new V1SelfSubjectReviewStatus
                {
                    UserInfo = new V1UserInfo
                    {
                        Username = user.Name,
                        Uid = user.Uid.Length > 0 ? user.Uid : null,
                        Groups = [.. user.Groups],
                        Extra = user.Extra?.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value]),
                    },
                },
            },
            "SelfSubjectAccessReview" => SelfAccess(Decode<V1SelfSubjectAccessReview>(json), user, authorizer),
            "SelfSubjectRulesReview" => RulesReview(Decode<V1SelfSubjectRulesReview>(json), user, context.RequestServices.GetRequiredService<RuleResolver>()),
            "SubjectAccessReview" => Access(Decode<V1SubjectAccessReview>(json), authorizer),
            "TokenReview" => await TokenReviewAsync(Decode<V1TokenReview>(json), context.RequestServices, context.RequestAborted),
            _ => throw StatusException.MethodNotSupported(storage.Resource.Group, storage.Resource.Plural, "create"),
        };
        await ApiResponse.WriteJsonAsync(context, StatusCodes.Status201Created, JsonSerializer.SerializeToUtf8Bytes(answer, answer.GetType(), KubernetesJsonOptions.Value));
    }

    /// <summary>
    /// TokenReview (webhooks and kubelets delegating authentication): the token run through the API server's own
    /// token authenticators, for the API audiences.
    /// </summary>
    private static async Task<V1TokenReview> TokenReviewAsync(V1TokenReview review, IServiceProvider services, CancellationToken cancellationToken)
    {
        var token = review.Spec?.Token;
        if (string.IsNullOrEmpty(token))
        {
            throw StatusException.BadRequest("token is required for TokenReview in authentication");
        }

        var apiAudiences = services.GetRequiredService<Auth.ServiceAccounts.ServiceAccountTokenIssuer>().ApiAudiences;
        IReadOnlyList<string> wanted = review.Spec!.Audiences is { Count: > 0 } asked ? [.. asked] : apiAudiences;
        var audiences = wanted.Intersect(apiAudiences, StringComparer.Ordinal).ToList();
        review.ApiVersion = "authentication.k8s.io/v1";
        review.Kind = "TokenReview";
        if (audiences.Count == 0)
        {
            review.Status = new V1TokenReviewStatus { Authenticated = false, Error = $"token audiences are invalid for the target audiences [{string.Join(" ", wanted)}]" };
            return review;
        }

        var result = await services.GetRequiredService<Auth.Tokens.ITokenAuthenticator>().AuthenticateAsync(token, cancellationToken);
        review.Status = result.User is { } user
            ? new V1TokenReviewStatus
            {
                Authenticated = true,
                Audiences = audiences,
                User = new V1UserInfo
                {
                    Username = user.Name,
                    Uid = user.Uid.Length > 0 ? user.Uid : null,
                    Groups = [.. user.Groups.Contains(AuthenticationFilter.AuthenticatedGroup) ? user.Groups : user.Groups.Append(AuthenticationFilter.AuthenticatedGroup)],
                    Extra = user.Extra?.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value]),
                },
            }
            : new V1TokenReviewStatus { Authenticated = false, Error = result.Error ?? "invalid bearer token" };
        return review;
    }

    private static V1SelfSubjectAccessReview SelfAccess(V1SelfSubjectAccessReview review, UserInfo user, Authorizer authorizer)
    {
        var attributes = ToAttributes(user, review.Spec?.ResourceAttributes, review.Spec?.NonResourceAttributes);
        review.ApiVersion = "authorization.k8s.io/v1";
        review.Kind = "SelfSubjectAccessReview";
        review.Status = Decide(authorizer, attributes);
        return review;
    }

    /// <summary>
    /// The rules RBAC lists for the user in the namespace, as given (upstream's selfsubjectrulesreview REST; kubectl
    /// compacts and sorts them). A binding to a missing role shows as evaluationError; the answer has no spec.
    /// </summary>
    private static V1SelfSubjectRulesReview RulesReview(V1SelfSubjectRulesReview review, UserInfo user, RuleResolver resolver)
    {
        var ns = review.Spec?.NamespaceProperty;
        if (string.IsNullOrEmpty(ns))
        {
            throw StatusException.BadRequest("no namespace on request");
        }

        var resolved = resolver.RulesFor(user, ns);
        return new V1SelfSubjectRulesReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectRulesReview",
            Metadata = new V1ObjectMeta { CreationTimestamp = null },
            Spec = new V1SelfSubjectRulesReviewSpec(),
            Status = new V1SubjectRulesReviewStatus
            {
                ResourceRules = [.. resolved.Rules.Where(r => r.Resources is { Count: > 0 }).Select(r => new V1ResourceRule { Verbs = r.Verbs, ApiGroups = r.ApiGroups, Resources = r.Resources, ResourceNames = r.ResourceNames })],
                NonResourceRules = [.. resolved.Rules.Where(r => r.NonResourceURLs is { Count: > 0 }).Select(r => new V1NonResourceRule { Verbs = r.Verbs, NonResourceURLs = r.NonResourceURLs })],
                Incomplete = false,
                EvaluationError = resolved.ErrorText,
            },
        };
    }

    private static V1SubjectAccessReview Access(V1SubjectAccessReview review, Authorizer authorizer)
    {
        var spec = review.Spec ?? throw StatusException.BadRequest("spec is required");
        var user = new UserInfo(spec.User ?? string.Empty, [.. spec.Groups ?? []]);
        review.ApiVersion = "authorization.k8s.io/v1";
        review.Kind = "SubjectAccessReview";
        review.Status = Decide(authorizer, ToAttributes(user, spec.ResourceAttributes, spec.NonResourceAttributes));
        return review;
    }

    private static V1SubjectAccessReviewStatus Decide(Authorizer authorizer, Attributes attributes) =>
        authorizer.Allows(attributes)
            ? new V1SubjectAccessReviewStatus { Allowed = true, Reason = attributes.User.Groups.Contains(Authorizer.MastersGroup) ? string.Empty : "RBAC: allowed" }
            : new V1SubjectAccessReviewStatus { Allowed = false };

    private static Attributes ToAttributes(UserInfo user, V1ResourceAttributes? resource, V1NonResourceAttributes? nonResource)
    {
        if (resource is not null)
        {
            return new Attributes(user, resource.Verb ?? string.Empty, true, resource.Group ?? string.Empty, resource.Resource ?? string.Empty,
                resource.Subresource ?? string.Empty, resource.NamespaceProperty ?? string.Empty, resource.Name ?? string.Empty);
        }

        return nonResource is not null
            ? new Attributes(user, nonResource.Verb ?? string.Empty, false, Path: nonResource.Path ?? string.Empty)
            : throw StatusException.Invalid("authorization.k8s.io", "SelfSubjectAccessReview", string.Empty,
                [Api.Validation.FieldError.Invalid("spec.resourceAttributes", null, "exactly one of nonResourceAttributes or resourceAttributes must be specified")]);
    }

    private static T Decode<T>(byte[] json)
        where T : class
    {
        try
        {
            return KubernetesJson.Deserialize<T>(Encoding.UTF8.GetString(json)) ?? throw StatusException.BadRequest("the request body is empty");
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"error decoding {typeof(T).Name}: {e.Message}");
        }
    }
}
