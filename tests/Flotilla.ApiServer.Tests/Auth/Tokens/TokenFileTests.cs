using Flotilla.ApiServer.Auth.Tokens;

namespace Flotilla.ApiServer.Tests.Auth.Tokens;

public sealed class TokenFileTests
{
    [Fact]
    public async Task Parse_QuotedGroups_AreSplitOnCommas()
    {
        var file = TokenFile.Parse("t1,alice,42,\"dev,ops\"\n", "tokens.csv");

        var user = (await file.AuthenticateAsync("t1", CancellationToken.None)).User!;
        Assert.Equal("alice", user.Name);
        Assert.Equal("42", user.Uid);
        Assert.Equal(["dev", "ops"], user.Groups);
    }

    [Theory]
    [InlineData("t1,bob,7", "bob", "7", "")]
    [InlineData("t1,bob,7,admins", "bob", "7", "admins")]
    [InlineData("t1,bob,7,admins,ignored", "bob", "7", "admins")]
    [InlineData("\"t1\",\"b\"\"ob\",\"7\"", "b\"ob", "7", "")]
    [InlineData("t1, bob ,7", " bob ", "7", "")]
    [InlineData("t1,\"bob\nby\",7", "bob\nby", "7", "")]
    [InlineData("t1,bob,7,\"\"", "bob", "7", "")]
    public async Task Parse_Records_AsGoCsvReadsThem(string text, string name, string uid, string groups)
    {
        var user = (await TokenFile.Parse(text, "f").AuthenticateAsync("t1", CancellationToken.None)).User!;

        Assert.Equal(name, user.Name);
        Assert.Equal(uid, user.Uid);
        Assert.Equal(groups, string.Join('|', user.Groups));
    }

    [Fact]
    public async Task Parse_EmptyLinesAndEmptyTokens_AreSkipped_ADuplicateKeepsTheLastLine()
    {
        var file = TokenFile.Parse("\r\n,nobody,1\r\nt1,first,1\n\nt1,second,2\nt2,other,3", "f");

        Assert.Equal(2, file.Count);
        Assert.Equal("second", (await file.AuthenticateAsync("t1", CancellationToken.None)).User!.Name);
        Assert.Equal(AuthenticationResult.NotMine, await file.AuthenticateAsync("", CancellationToken.None));
        Assert.Equal(AuthenticationResult.NotMine, await file.AuthenticateAsync("T1", CancellationToken.None));
    }

    [Theory]
    [InlineData("t1,alice", "token file 'f' must have at least 3 columns (token, user name, user uid), found 2")]
    [InlineData("t1,al\"ice,1", "token file 'f': parse error on line 1: bare \" in non-quoted-field")]
    [InlineData("t1,\"alice\"x,1", "token file 'f': parse error on line 1: extraneous or missing \" in quoted-field")]
    [InlineData("ok,a,1\nt1,\"alice,1", "token file 'f': parse error on line 2: extraneous or missing \" in quoted-field")]
    public void Parse_Malformed_IsRefusedWithUpstreamsMessage(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => TokenFile.Parse(text, "f")).Message);
    }
}
