namespace Flotilla.Client.Informers;

/// <summary>Where a reflector puts what it lists and watches; called from one task, in order.</summary>
internal interface IReflectorSink<T>
{
    void Replace(IReadOnlyList<T> items);

    void Apply(WatchEvent<T> change);
}
