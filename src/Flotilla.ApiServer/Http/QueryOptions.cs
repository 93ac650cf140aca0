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

    public bool Flag(string name) => this[name] is "true" or "1";

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
