using Flotilla.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Http;

/// <summary>Writes API answers: JSON bodies with their status code, and failures as a Kubernetes Status.</summary>
public static class ApiResponse
{
    public static async Task WriteJsonAsync(HttpContext context, int statusCode, byte[] body, string contentType = MediaTypes.Json)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext context, StatusException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        if (error.Details?.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Audit.AuditContext.Of(context)?.LogResponseStatus(error);
        return WriteJsonAsync(context, error.Code, StatusWriter.Failure(error));
    }
}
