namespace Flotilla.Dns.Records;

/// <summary>The record types the cluster zone answers (RFC 1035 and 2782 numbers).</summary>
public enum DnsType
{
    A = 1,
    Ns = 2,
    Cname = 5,
    Soa = 6,
    Ptr = 12,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Any = 255,
}

/// <summary>
/// One answer record: <paramref name="Value"/> is the address (A), the target name (CNAME, PTR, SRV) or the text (TXT);
/// SRV records carry their priority, weight and port.
/// </summary>
public sealed record DnsRecord(string Name, DnsType Type, string Value, int Priority = 0, int Weight = 0, int Port = 0);

/// <summary>What the zone says of a question.</summary>
public enum DnsOutcome
{
    /// <summary>The name exists: the records (none: it has no record of the asked type).</summary>
    Answer,

    /// <summary>The name is in the cluster's zone and does not exist.</summary>
    NameError,

    /// <summary>Not the cluster's to answer: ask the node's upstream resolvers.</summary>
    Forward,
}

public sealed record DnsAnswer(DnsOutcome Outcome, IReadOnlyList<DnsRecord> Records)
{
    public static DnsAnswer Forward { get; } = new(DnsOutcome.Forward, []);

    public static DnsAnswer NameError { get; } = new(DnsOutcome.NameError, []);

    public static DnsAnswer Empty { get; } = new(DnsOutcome.Answer, []);
}
