namespace Flotilla.ApiServer.Registry;

/// <summary>Objects that expire (Events): the store lease a new object is attached to.</summary>
public interface IObjectTtl
{
    Task<long> LeaseAsync(CancellationToken cancellationToken);
}
