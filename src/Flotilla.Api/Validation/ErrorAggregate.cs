namespace Flotilla.Api.Validation;

/// <summary>
/// The text of upstream's field.ErrorList.ToAggregate(): duplicates dropped, one error printed alone,
/// several as <c>[first, second]</c>.
/// </summary>
public static class ErrorAggregate
{
    public static string Message(IEnumerable<FieldError> errors)
    {
        var messages = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        return messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
    }
}
