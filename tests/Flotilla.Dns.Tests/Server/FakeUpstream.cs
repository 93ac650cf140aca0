using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Flotilla.Tests.Shared;

namespace Flotilla.Dns.Tests.Server;

/// <summary>A resolver on 127.0.0.1 that knows one name (<c>example.test</c> → 192.0.2.1) and says NXDOMAIN to the rest.</summary>
public sealed class FakeUpstream : IDisposable
{
    private readonly DnsServer _server;

    public FakeUpstream()
    {
        Port = FreePorts.One();
        _server = new DnsServer(new UdpServerTransport(new IPEndPoint(IPAddress.Loopback, Port), 2000), new TcpServerTransport(new IPEndPoint(IPAddress.Loopback, Port), 2000, 10000));
        _server.QueryReceived += (_, e) =>
        {
            var query = (DnsMessage)e.Query;
            var response = query.CreateResponseInstance();
            Interlocked.Increment(ref _asked);
            var question = query.Questions[0];
            if (question.Name.Equals(DomainName.Parse("example.test")) && question.RecordType == RecordType.A)
            {
                response.AnswerRecords.Add(new ARecord(question.Name, 300, IPAddress.Parse("192.0.2.1")));
            }
            else
            {
                response.ReturnCode = ReturnCode.NxDomain;
            }

            e.Response = response;
            return Task.CompletedTask;
        };
        _server.Start();
    }

    public int Port { get; }

    private int _asked;

    public int Asked => Volatile.Read(ref _asked);

    public void Dispose() => _server.Stop();
}
