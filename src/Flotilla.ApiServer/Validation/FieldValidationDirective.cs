namespace Flotilla.ApiServer.Validation;

/// <summary>The <c>fieldValidation</c> query parameter of create, update and patch requests.</summary>
public enum FieldValidationDirective
{
    /// <summary>Unknown fields are dropped and the last of duplicate fields wins, silently.</summary>
    Ignore,

    /// <summary>As Ignore, with one <c>Warning</c> header per finding; upstream's default since v1.27.</summary>
    Warn,

    /// <summary>Any finding fails the request with 400 BadRequest listing all of them.</summary>
    Strict,
}
