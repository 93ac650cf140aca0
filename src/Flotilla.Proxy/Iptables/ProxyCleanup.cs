namespace Flotilla.Proxy.Iptables;

/// <summary>
/// Takes the proxy's rules out of a network namespace (<c>flotilla reset</c>, kube-proxy's <c>--cleanup</c>): the
/// jumps from the built-in chains, then every <c>FLOTILLA-</c> chain of the proxy's, emptied and deleted in one
/// iptables-restore per table. The nodes' masquerade chains (<c>FLOTILLA-MASQ-</c>) belong to the kubelet and stay.
/// </summary>
public static class ProxyCleanup
{
    public static async Task RemoveAsync(IptablesRunner iptables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(iptables);
        foreach (var (table, builtin, rule) in ProxyJumps.All)
        {
            await iptables.DeleteJumpAsync(table, builtin, rule, cancellationToken);
        }

        foreach (var table in new[] { "filter", "nat" })
        {
            var chains = (await iptables.ChainsAsync(table, cancellationToken))
                .Where(c => c.StartsWith(ChainNames.Prefix, StringComparison.Ordinal) && !c.StartsWith("FLOTILLA-MASQ-", StringComparison.Ordinal))
                .ToList();
            if (chains.Count == 0)
            {
                continue;
            }

            var input = $"*{table}\n" + string.Concat(chains.Select(c => $":{c} - [0:0]\n")) + string.Concat(chains.Select(c => $"-X {c}\n")) + "COMMIT\n";
            await iptables.RestoreAsync(input, cancellationToken);
        }
    }
}
