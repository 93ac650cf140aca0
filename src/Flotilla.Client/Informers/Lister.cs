using Flotilla.Api.Selectors;
using k8s;
using k8s.Models;

namespace Flotilla.Client.Informers;

/// <summary>Reads of an informer's cache (client-go's listers). Objects are shared: deep-copy before changing one.</summary>
public sealed class Lister<T>(Indexer<T> indexer)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public T? Get(string name) => indexer.Get(name);

    public T? Get(string @namespace, string name) => indexer.Get(ObjectKeys.Of(@namespace, name));

    public IReadOnlyList<T> List(LabelSelector? selector = null) => Select(indexer.List(), selector);

    public IReadOnlyList<T> List(string @namespace, LabelSelector? selector = null) =>
        Select(indexer.ByIndex(Indexers.Namespace, @namespace), selector);

    private static IReadOnlyList<T> Select(IReadOnlyList<T> items, LabelSelector? selector) =>
        selector is null || selector.IsEmpty ? items : [.. items.Where(i => selector.Matches(i.Metadata?.Labels as IReadOnlyDictionary<string, string>))];
}
