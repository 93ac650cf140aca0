using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.Tests.Shared;

/// <summary>
/// An API server alone makes no ServiceAccounts (the controller manager's serviceaccounts controller does, as
/// upstream): tests of a bare server create the <c>default</c> account where their pods go, as upstream's
/// integration tests do.
/// </summary>
internal static class DefaultServiceAccounts
{
    public static async Task AddAsync(IServiceProvider services, string ns = "default")
    {
        try
        {
            await services.GetRequiredService<ResourceRegistry>().Find("", "v1", "serviceaccounts")!
                .CreateAsync(ns, new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "default" } }, dryRun: false, admission: null, CancellationToken.None);
        }
        catch (StatusException e) when (e.Reason == "AlreadyExists")
        {
        }
    }
}
