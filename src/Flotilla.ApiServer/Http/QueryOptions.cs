using System.Globalization;
using Flotilla.Api.Errors;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Http;

/// <summary>Typed access to the query parameters of API requests, with upstream's 400s for bad values.</summary>
public sealed class QueryOptions(IQueryCollection query)
{
    public string? this[string name] => query.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    /// <summary><c>dryRun=All</c>: do everything but write. Any other value is rejected as upstream does.</summary>
    public bool DryRun
    {
        get
        {
            if (!query.TryGetValue("dryRun", out var values) || values.Count == 0)
            {
                return false;
            }

            foreach (var v in values)
            {
                if (v != "All")
                {
                    throw StatusException.BadRequest($"Invalid dry run value: {v}; the only supported value is \"All\"");
                }
            }

            return true;
        }
    }

    /// <summary>A boolean parameter as Go's strconv.ParseBool reads it (the Python client sends <c>watch=True</c>).</summary>
    public bool Flag(string name) => IsTrue(this[name]);

    public static bool IsTrue(string? value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";

    /// <summary>A boolean of an options kind (PodLogOptions) as Go's parameter codec reads it: present is true, unless it says 0 or false.</summary>
    public bool Option(string name) => this[name] is { } v && v != "0" && !v.Equals("false", StringComparison.OrdinalIgnoreCase);

    public long? Int64(string name)
    {
        var text = this[name];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StatusException.BadRequest($"invalid value for {name}: \"{text}\": must be an integer");
    }
}
