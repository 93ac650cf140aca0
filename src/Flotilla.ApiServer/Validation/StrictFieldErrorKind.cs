namespace Flotilla.ApiServer.Validation;

/// <summary>What strict decoding found wrong with a key.</summary>
public enum StrictFieldErrorKind
{
    /// <summary>The model has no field of that name at that place.</summary>
    Unknown,

    /// <summary>The key appears a second time in one JSON object.</summary>
    Duplicate,
}
