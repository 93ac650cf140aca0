using System.Net;
using System.Net.Http.Headers;

namespace Flotilla.Client.Tests;

public sealed class RetryAfterHandlerTests
{
    [Fact]
    public async Task Throttled_RequestsAreSentAgain_WithTheirBody()
    {
        var inner = new Scripted(Throttled(), Throttled(), new HttpResponseMessage(HttpStatusCode.Created));
        using var client = new HttpClient(new RetryAfterHandler { InnerHandler = inner });

        using var response = await client.PostAsync(new Uri("http://127.0.0.1:1/api/v1/namespaces/default/pods"), new StringContent("{\"kind\":\"Pod\"}"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["{\"kind\":\"Pod\"}", "{\"kind\":\"Pod\"}", "{\"kind\":\"Pod\"}"], inner.Bodies);
    }

    [Fact]
    public async Task ServerErrorsWithoutRetryAfter_AreNotRetried_AndRetriesStopAfterTen()
    {
        var failing = new Scripted(new HttpResponseMessage(HttpStatusCode.InternalServerError));
        using (var client = new HttpClient(new RetryAfterHandler { InnerHandler = failing }))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync(new Uri("http://127.0.0.1:1/api"))).StatusCode);
        }

        Assert.Single(failing.Bodies);
        var throttled = new Scripted([.. Enumerable.Range(0, 20).Select(_ => Throttled())]);
        using var again = new HttpClient(new RetryAfterHandler { InnerHandler = throttled });
        Assert.Equal(HttpStatusCode.TooManyRequests, (await again.GetAsync(new Uri("http://127.0.0.1:1/api"))).StatusCode);
        Assert.Equal(1 + RetryAfterHandler.MaxRetries, throttled.Bodies.Count);
    }

    private static HttpResponseMessage Throttled()
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero);
        return response;
    }

    private sealed class Scripted(params HttpResponseMessage[] responses) : HttpMessageHandler
    {
        private int _next;

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
            return responses[Math.Min(_next++, responses.Length - 1)];
        }
    }
}
