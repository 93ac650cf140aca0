using System.Collections.Frozen;

namespace Flotilla.ApiServer.Auth.Tokens;

/// <summary>
/// Static tokens from a CSV file (kube-apiserver's --token-auth-file): <c>token,user,uid[,"group1,group2"]</c> per
/// line, read once at start. Records with an empty token are skipped; a token listed twice keeps its last line.
/// </summary>
public sealed class TokenFile : ITokenAuthenticator
{
    private readonly FrozenDictionary<string, UserInfo> _users;

    private TokenFile(FrozenDictionary<string, UserInfo> users) => _users = users;

    public int Count => _users.Count;

    /// <summary>Reads <paramref name="path"/>; an unreadable file is an IOException, a malformed one an InvalidDataException.</summary>
    public static TokenFile Load(string path) => Parse(File.ReadAllText(path), path);

    public static TokenFile Parse(string text, string path)
    {
        IReadOnlyList<IReadOnlyList<string>> records;
        try
        {
            records = GoCsv.Parse(text);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"token file '{path}': {e.Message}");
        }

        var users = new Dictionary<string, UserInfo>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (record.Count < 3)
            {
                throw new InvalidDataException($"token file '{path}' must have at least 3 columns (token, user name, user uid), found {record.Count}");
            }

            if (record[0].Length == 0)
            {
                continue;
            }

            users[record[0]] = new UserInfo(record[1], record.Count >= 4 ? record[3].Split(',') : [], record[2]);
        }

        return new TokenFile(users.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_users.TryGetValue(token, out var user) ? AuthenticationResult.Success(user) : AuthenticationResult.NotMine);
}
