using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Flotilla.Dns.Records;

namespace Flotilla.Dns.Server;

/// <summary>The zone as it stood at one moment, with the SOA serial that moment gives (CoreDNS: the last change's Unix time).</summary>
public sealed record ZoneSnapshot(ClusterRecords Records, uint Serial);

/// <summary>
/// Answers one query as CoreDNS' <c>kubernetes</c> plugin does: authoritative for the cluster zone, TTL
/// <see cref="ClusterDnsOptions.Ttl"/>, NXDOMAIN and NODATA with the zone's SOA (which sets how long a "no" is cached),
/// CNAMEs followed (in the zone from memory, up to <see cref="MaxCnameHops"/>, outside it upstream) with the last
/// name's answer code, SRV targets' addresses as additional records, the SOA's name server <c>ns.dns.&lt;zone&gt;</c>
/// at the listening address; other names forwarded upstream, SERVFAIL when no upstream answers.
/// </summary>
public sealed class DnsResponder(ClusterDnsOptions options, Func<ZoneSnapshot> zone, Upstream upstream)
{
    private readonly DomainName _zone = DomainName.Parse(options.Zone);
    private readonly DomainName _nameServer = DomainName.Parse("ns.dns." + options.Zone);
    private readonly DomainName _hostmaster = DomainName.Parse("hostmaster." + options.Zone);

    private const int MaxCnameHops = 8;

    /// <summary>The answer to a query from a source not served.</summary>
    public static DnsMessage Refused(DnsMessage query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var response = query.CreateResponseInstance();
        response.ReturnCode = ReturnCode.Refused;
        return response;
    }

    public async Task<DnsMessage> AnswerAsync(DnsMessage query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        if (query.OperationCode != OperationCode.Query)
        {
            response.ReturnCode = ReturnCode.NotImplemented;
            return response;
        }

        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }

        var question = query.Questions[0];
        var snapshot = zone();
        if (question.Name.Equals(_nameServer) && question.RecordType is RecordType.A or RecordType.Any)
        {
            response.IsAuthoritiveAnswer = true;
            response.AnswerRecords.Add(NameServerAddress());
            return response;
        }

        var answer = question.RecordClass is RecordClass.INet or RecordClass.Any
            ? snapshot.Records.Lookup(question.Name.ToString(), (DnsType)question.RecordType)
            : DnsAnswer.Forward;
        if (answer.Outcome == DnsOutcome.Forward)
        {
            await ForwardAsync(question, response, cancellationToken);
            return response;
        }

        response.IsAuthoritiveAnswer = true;
        if (answer.Outcome == DnsOutcome.NameError)
        {
            response.ReturnCode = ReturnCode.NxDomain;
            response.AuthorityRecords.Add(Soa(snapshot.Serial));
            return response;
        }

        if (question.Name.Equals(_zone) && question.RecordType is RecordType.Soa or RecordType.Ns)
        {
            response.AnswerRecords.Add(question.RecordType == RecordType.Soa ? Soa(snapshot.Serial) : new NsRecord(_zone, options.Ttl, _nameServer));
            response.AdditionalRecords.Add(NameServerAddress());
            return response;
        }

        response.AnswerRecords.AddRange(answer.Records.Select(Record));
        if (answer.Records is [{ Type: DnsType.Cname } cname] && question.RecordType != RecordType.CName)
        {
            await FollowAsync(cname.Value, question, snapshot, response, cancellationToken);
        }

        foreach (var srv in answer.Records.Where(r => r.Type == DnsType.Srv))
        {
            var target = snapshot.Records.Lookup(srv.Value, DnsType.A);
            response.AdditionalRecords.AddRange(target.Records.Select(Record));
        }

        // NODATA, at the name or at the end of its CNAMEs: the SOA says how long to remember it.
        if (response.ReturnCode == ReturnCode.NoError && response.AuthorityRecords.Count == 0
            && !response.AnswerRecords.Any(r => r.RecordType == question.RecordType || question.RecordType == RecordType.Any))
        {
            response.AuthorityRecords.Add(Soa(snapshot.Serial));
        }

        return response;
    }

    /// <summary>
    /// An ExternalName's target: from the zone while it is in it (a chain of ExternalNames), else asked upstream
    /// (CoreDNS' default); the answer code is the last name's (RFC 6604), SERVFAIL when the upstream does not answer.
    /// </summary>
    private async Task FollowAsync(string target, DnsQuestion question, ZoneSnapshot snapshot, DnsMessage response, CancellationToken cancellationToken)
    {
        for (var hop = 0; hop < MaxCnameHops; hop++)
        {
            var inZone = snapshot.Records.Lookup(target, (DnsType)question.RecordType);
            if (inZone.Outcome == DnsOutcome.NameError)
            {
                response.ReturnCode = ReturnCode.NxDomain;
                response.AuthorityRecords.Add(Soa(snapshot.Serial));
                return;
            }

            if (inZone.Outcome == DnsOutcome.Forward)
            {
                var upstreamAnswer = await upstream.AskAsync(new DnsQuestion(DomainName.Parse(target), question.RecordType, question.RecordClass), cancellationToken);
                response.ReturnCode = upstreamAnswer?.ReturnCode ?? ReturnCode.ServerFailure;
                response.AnswerRecords.AddRange(upstreamAnswer?.AnswerRecords ?? []);
                return;
            }

            response.AnswerRecords.AddRange(inZone.Records.Select(Record));
            if (inZone.Records is not [{ Type: DnsType.Cname } next] || question.RecordType == RecordType.CName)
            {
                return;
            }

            target = next.Value;
        }

        response.ReturnCode = ReturnCode.ServerFailure;
    }

    private async Task ForwardAsync(DnsQuestion question, DnsMessage response, CancellationToken cancellationToken)
    {
        var upstreamAnswer = await upstream.AskAsync(question, cancellationToken);
        if (upstreamAnswer is null)
        {
            response.ReturnCode = ReturnCode.ServerFailure;
            return;
        }

        response.ReturnCode = upstreamAnswer.ReturnCode;
        response.AnswerRecords.AddRange(upstreamAnswer.AnswerRecords);
        response.AuthorityRecords.AddRange(upstreamAnswer.AuthorityRecords);
        response.AdditionalRecords.AddRange(upstreamAnswer.AdditionalRecords.Where(r => r.RecordType != RecordType.Opt));
    }

    private ARecord NameServerAddress() => new(_nameServer, options.Ttl, options.Listen.Address);

    private SoaRecord Soa(uint serial) =>
        new(_zone, options.Ttl, _nameServer, _hostmaster, serial, 7200, 1800, 86400, options.Ttl);

    private DnsRecordBase Record(DnsRecord record)
    {
        var name = DomainName.Parse(record.Name);
        return record.Type switch
        {
            DnsType.A => new ARecord(name, options.Ttl, IPAddress.Parse(record.Value)),
            DnsType.Cname => new CNameRecord(name, options.Ttl, DomainName.Parse(record.Value)),
            DnsType.Ptr => new PtrRecord(name, options.Ttl, DomainName.Parse(record.Value)),
            DnsType.Txt => new TxtRecord(name, options.Ttl, record.Value),
            DnsType.Srv => new SrvRecord(name, options.Ttl, (ushort)record.Priority, (ushort)record.Weight, (ushort)record.Port, DomainName.Parse(record.Value)),
            _ => throw new ArgumentOutOfRangeException(nameof(record), record.Type, "not a record type the zone holds"),
        };
    }
}
