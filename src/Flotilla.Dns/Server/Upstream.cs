using System.Net;
using ARSoft.Tools.Net.Dns;

namespace Flotilla.Dns.Server;

/// <summary>
/// The resolvers a node's own names go to (CoreDNS' <c>forward . /etc/resolv.conf</c>): each in turn, UDP then TCP on
/// truncation, the whole question bounded by one timeout so a pod never waits past its own resolver's patience.
/// </summary>
public sealed class Upstream : IDisposable
{
    private readonly DnsClient? _client;
    private readonly TimeSpan _timeout;

    public Upstream(IReadOnlyList<IPAddress> servers, int port, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(servers);
        _timeout = timeout;
        if (servers.Count > 0)
        {
            var perServer = (int)Math.Max(100, timeout.TotalMilliseconds / servers.Count);
            _client = new DnsClient(servers, [new UdpClientTransport(port), new TcpClientTransport(port)], disposeTransport: true, perServer);
        }
    }

    public void Dispose() => ((IDisposable?)_client)?.Dispose();

    /// <summary>The upstream's answer to <paramref name="question"/>, or null when none answered in time.</summary>
    public async Task<DnsMessage?> AskAsync(DnsQuestion question, CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            return null;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_timeout);
        var query = new DnsMessage { IsRecursionDesired = true, IsEDnsEnabled = true };
        query.Questions.Add(question);
        try
        {
            return await _client.SendMessageAsync(query, bounded.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
