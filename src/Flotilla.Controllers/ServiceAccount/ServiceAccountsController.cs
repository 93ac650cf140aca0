using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.ServiceAccount;

/// <summary>
/// kube-controller-manager's serviceaccounts controller: every Active namespace has a <c>default</c>
/// ServiceAccount, made when the namespace appears and made again when it is deleted. Terminating namespaces get
/// nothing.
/// </summary>
public sealed partial class ServiceAccountsController(Lister<V1Namespace> namespaces, Lister<V1ServiceAccount> accounts, IKubernetes client, TimeProvider time, ILogger log)
{
    public const string Name = "service-account-controller";
    public const string DefaultAccount = "default";

    public WorkQueue<string> Queue { get; } = new("serviceaccount", time);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var namespaces = informers.Informer<V1Namespace>();
        var accounts = informers.Informer<V1ServiceAccount>();
        var controller = new ServiceAccountsController(namespaces.Lister, accounts.Lister, client, time, log);
        using var queue = controller.Queue;
        namespaces.AddEventHandler(new ResourceEventHandler<V1Namespace>
        {
            OnAdd = (ns, _) => queue.Add(ns.Metadata.Name),
            OnUpdate = (_, ns) => queue.Add(ns.Metadata.Name),
        });
        accounts.AddEventHandler(new ResourceEventHandler<V1ServiceAccount> { OnDelete = sa => queue.Add(sa.Metadata.NamespaceProperty) });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(1, cancellationToken);
    }

    public async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        if (namespaces.Get(ns) is not { Status.Phase: "Active" } || accounts.Get(ns, DefaultAccount) is not null)
        {
            return;
        }

        try
        {
            await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = DefaultAccount, NamespaceProperty = ns } }, ns, cancellationToken: cancellationToken);
            LogCreated(log, ns);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict || ApiErrors.HasCause(e, "NamespaceTerminating"))
        {
            // Made meanwhile, or the namespace is going.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serviceaccount {Namespace}/default created")]
    private static partial void LogCreated(ILogger log, string @namespace);
}
