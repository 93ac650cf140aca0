using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace Flotilla.Client;

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

    /// <summary>What any failed call says: the Status message for an API error, else the exception's.</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e is HttpOperationException http ? Message(http) : e.Message;
    }

    public static bool IsNotFound(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };

    public static bool IsConflict(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict };

    /// <summary>Upstream HasStatusCause: the Status lists a cause of <paramref name="type"/> (<c>NamespaceTerminating</c>).</summary>
    public static bool HasCause(Exception e, string type)
    {
        if (e is not HttpOperationException http)
        {
            return false;
        }

        try
        {
            using var status = JsonDocument.Parse(http.Response.Content ?? string.Empty);
            return status.RootElement.TryGetProperty("details", out var details) &&
                details.TryGetProperty("causes", out var causes) &&
                causes.ValueKind == JsonValueKind.Array &&
                causes.EnumerateArray().Any(c => c.TryGetProperty("reason", out var reason) && reason.GetString() == type);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
