namespace Flotilla.ApiServer.Admission;

/// <summary>What a write does to an object, as admission plugins see it (upstream's admission.Operation).</summary>
public enum AdmissionOperation
{
    Create,
    Update,
    Delete,
    Connect,
}
