namespace Flotilla.Api.Validation;

/// <summary>k8s.io/apimachinery/pkg/util/validation/field.ErrorType.</summary>
public enum FieldErrorType
{
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
    TypeInvalid,
}
