using System.Net;
using Flotilla.ApiServer.Kubelets;

namespace Flotilla.ApiServer.Tests.Kubelets;

public sealed class KubeletAnswersTests
{
    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "container \"app\" in pod \"web\" is waiting to start: ContainerCreating", 400, "BadRequest", "container \"app\" in pod \"web\" is waiting to start: ContainerCreating")]
    [InlineData(HttpStatusCode.InternalServerError, "boom", 500, "InternalError", "Internal error occurred: boom")]
    [InlineData(HttpStatusCode.NotFound, "pod \"web\" does not exist", 404, "NotFound", "the server could not find the requested resource ( pods/log web)")]
    [InlineData(HttpStatusCode.Forbidden, "Forbidden (user=x, verb=get, resource=nodes, subresource(s)=[proxy])\n", 403, "Forbidden", "Forbidden (user=x, verb=get, resource=nodes, subresource(s)=[proxy])\n ( pods/log web)")]
    [InlineData(HttpStatusCode.Unauthorized, "Unauthorized", 401, "Unauthorized", "the server has asked for the client to provide credentials ( pods/log web)")]
    [InlineData(HttpStatusCode.UnprocessableEntity, "{\"message\": \"Invalid request.\"}", 422, "Invalid", "the server rejected our request due to an error in our request ( pods/log web)")]
    [InlineData(HttpStatusCode.BadGateway, "down", 502, "InternalError", "an error on the server (\"down\") has prevented the request from succeeding ( pods/log web)")]
    public async Task ARefusalBecomesUpstreamsStatus(HttpStatusCode status, string body, int code, string reason, string message)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
        var error = await KubeletAnswers.CheckAsync(response, "pods/log", "web", CancellationToken.None);
        Assert.NotNull(error);
        Assert.Equal((code, reason, message), (error.Code, error.Reason, error.Message));
    }

    [Fact]
    public async Task SuccessPassesThrough()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("log") };
        Assert.Null(await KubeletAnswers.CheckAsync(response, "pods/log", "web", CancellationToken.None));
    }
}
