namespace Flotilla.ApiServer.Patch;

/// <summary>What a model property holds in JSON.</summary>
public enum PatchFieldKind
{
    /// <summary>A string, number, boolean, or a value serialised as one (<c>IntOrString</c>, <c>ResourceQuantity</c>, base64 bytes).</summary>
    Scalar,

    /// <summary>A nested model type with named fields.</summary>
    Object,

    /// <summary>A JSON array (<c>IList&lt;T&gt;</c>).</summary>
    List,

    /// <summary>A JSON object with free keys (<c>IDictionary&lt;string, T&gt;</c>: labels, resource lists, data).</summary>
    Map,

    /// <summary>Free-form JSON (<c>object</c>: raw extensions, <c>fieldsV1</c>); merged without metadata.</summary>
    Unknown,
}
