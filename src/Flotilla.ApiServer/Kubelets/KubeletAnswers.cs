using Flotilla.Api.Errors;

namespace Flotilla.ApiServer.Kubelets;

/// <summary>
/// A kubelet's refusal as the API server passes it on (upstream's GenericHttpResponseChecker): 400 keeps the
/// kubelet's words as a BadRequest, 500 becomes an InternalError, anything else the generic server response for
/// that code, naming the resource (<c>( pods/log web)</c>).
/// </summary>
public static class KubeletAnswers
{
    private const int MaxRead = 50_000;

    /// <summary>Null for a 2xx answer; otherwise the Status to give the client.</summary>
    public static async Task<StatusException?> CheckAsync(HttpResponseMessage response, string resource, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var code = (int)response.StatusCode;
        if (code is >= 200 and <= 206)
        {
            return null;
        }

        var body = await ReadAsync(response, cancellationToken);
        if (code == 500)
        {
            return StatusException.Internal(body);
        }

        if (code == 400)
        {
            return StatusException.BadRequest(body);
        }

        var (reason, message) = code switch
        {
            404 => ("NotFound", "the server could not find the requested resource"),
            401 => ("Unauthorized", "the server has asked for the client to provide credentials"),
            403 => ("Forbidden", body),
            405 => ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
            422 => ("Invalid", "the server rejected our request due to an error in our request"),
            503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
            >= 500 => ("InternalError", $"an error on the server (\"{body}\") has prevented the request from succeeding"),
            _ => (string.Empty, $"the server responded with the status code {code} but did not return more information"),
        };
        return new StatusException(code, reason, $"{message} ( {resource} {name})", new StatusDetails(name, null, resource));
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxRead];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }
}
