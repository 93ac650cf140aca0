using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Handlers;

/// <summary>The admission of one HTTP request: the server's chain, the request's user, warnings as headers.</summary>
public static class RequestAdmission
{
    /// <summary>The <c>HttpContext.Items</c> key of the request's audit annotations, for the audit log.</summary>
    public const string AuditAnnotationsItem = "flotilla.audit-annotations";

    public static AdmissionContext For(HttpContext context, RequestInfo info)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(info);
        var user = context.Items[AuthenticationFilter.UserItem] as UserInfo ?? AdmissionContext.Unsecured;
        var chain = context.RequestServices.GetService<AdmissionChain>() ?? AdmissionChain.Empty;
        if (context.Items[AuditAnnotationsItem] is not IDictionary<string, string> annotations)
        {
            context.Items[AuditAnnotationsItem] = annotations = new Dictionary<string, string>();
        }

        return new AdmissionContext(chain, user, info.Subresource, warning => context.Response.Headers.Append("Warning", FieldValidation.WarningHeader(warning)), annotations);
    }
}
