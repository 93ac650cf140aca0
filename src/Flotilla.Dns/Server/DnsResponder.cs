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
/// CNAMEs followed (in the zone from memory, outside it upstream), SRV targets' addresses as additional records; other
/// names forwarded upstream, SERVFAIL when no upstream answers.
/// </summary>
public sealed class DnsResponder(ClusterDnsOptions options, Func<ZoneSnapshot> zone, Upstream upstream)
{
    private readonly DomainName _zone = DomainName.Parse(options.Zone);
    private readonly DomainName _nameServer = DomainName.Parse("ns.dns." + options.Zone);
    private readonly DomainName _hostmaster = DomainName.Parse("hostmaster." + options.Zone);

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

        if (response.AnswerRecords.Count == 0)
        {
            response.AuthorityRecords.Add(Soa(snapshot.Serial));
        }

        return response;
    }

    /// <summary>An ExternalName's target: from the zone when it is in it, else asked upstream (CoreDNS' default).</summary>
    private async Task FollowAsync(string target, DnsQuestion question, ZoneSnapshot snapshot, DnsMessage response, CancellationToken cancellationToken)
    {
        var inZone = snapshot.Records.Lookup(target, (DnsType)question.RecordType);
        if (inZone.Outcome != DnsOutcome.Forward)
        {
            response.AnswerRecords.AddRange(inZone.Records.Select(Record));
            return;
        }

        var upstreamAnswer = await upstream.AskAsync(new DnsQuestion(DomainName.Parse(target), question.RecordType, question.RecordClass), cancellationToken);
        if (upstreamAnswer is not null)
        {
            response.AnswerRecords.AddRange(upstreamAnswer.AnswerRecords);
        }
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
