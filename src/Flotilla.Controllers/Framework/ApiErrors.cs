using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace Flotilla.Controllers.Framework;

/// <summary>What an API error says: the Status message the server sent, as upstream's controllers print it.</summary>
public static class ApiErrors
{
    public static string Message(HttpOperationException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        try
        {
            using var status = JsonDocument.Parse(e.Response.Content ?? string.Empty);
            if (status.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not a Status: fall back to the code.
        }

        return $"the server answered {(int)e.Response.StatusCode} {e.Response.ReasonPhrase}";
    }

    public static bool IsNotFound(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };

    public static bool IsConflict(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict };
}
