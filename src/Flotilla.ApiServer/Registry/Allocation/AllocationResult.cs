namespace Flotilla.ApiServer.Registry.Allocation;

public enum AllocationResult
{
    Allocated,
    InUse,
    OutOfRange,
}
