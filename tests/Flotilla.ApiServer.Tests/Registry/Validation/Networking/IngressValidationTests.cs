using Flotilla.ApiServer.Registry.Validation.Networking;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Networking;

/// <summary>Upstream's TestValidateIngress and TestValidateIngressClass.</summary>
public sealed class IngressValidationTests
{
    public static TheoryData<Case<V1Ingress>> Cases => new()
    {
        new("valid", _ => { }),
        new("no rules or backend", i => i.Spec.Rules = [], "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"),
        new("IP host", i => i.Spec.Rules[0].Host = "10.0.0.1", "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"),
        new("wildcard host", i => i.Spec.Rules[0].Host = "*.example.com"),
        new("bad wildcard host", i => i.Spec.Rules[0].Host = "foo.*.com", "spec.rules[0].host: Invalid value: \"foo.*.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
        new("no paths", i => i.Spec.Rules[0].Http.Paths = [], "spec.rules[0].http.paths: Required value"),
        new("no path type", i => i.Spec.Rules[0].Http.Paths[0].PathType = null, "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"),
        new("relative prefix", i => i.Spec.Rules[0].Http.Paths[0].Path = "api", "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path"),
        new("double slash", i => i.Spec.Rules[0].Http.Paths[0].Path = "/a//b", "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b\": must not contain '//'"),
        new("path type", i => i.Spec.Rules[0].Http.Paths[0].PathType = "Regex", "spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""),
        new("no port", i => i.Spec.Rules[0].Http.Paths[0].Backend.Service.Port = null, "spec.rules[0].http.paths[0].backend: Required value: port name or number is required"),
        new("name and number", i => i.Spec.Rules[0].Http.Paths[0].Backend.Service.Port.Name = "http", "spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both port name & port number"),
        new("service name", i => i.Spec.Rules[0].Http.Paths[0].Backend.Service.Name = "1web", "spec.rules[0].http.paths[0].backend.service.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
        new("no backend", i => i.Spec.Rules[0].Http.Paths[0].Backend = new V1IngressBackend(), "spec.rules[0].http.paths[0].backend: Invalid value: \"\": resource or service backend is required"),
        new("tls secret", i => i.Spec.Tls = [new V1IngressTLS { Hosts = ["example.com"], SecretName = "Cert" }], $"spec.tls[0].secretName: Invalid value: \"Cert\": {Messages.Dns1123Subdomain}"),
        new("class annotation mismatch", i =>
        {
            i.Spec.IngressClassName = "nginx";
            i.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/ingress.class"] = "traefik" };
        }, "annotations.kubernetes.io/ingress.class: Invalid value: \"traefik\": must match `ingressClassName` when both are specified"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_Ingress_UpstreamErrors(Case<V1Ingress> row)
    {
        var ingress = Ingress();
        row.Break(ingress);

        Errors.Equal(IngressValidation.Validate(ingress), row.Expected);
    }

    [Theory]
    [InlineData("example.com/ingress", null)]
    [InlineData("", "spec.controller: Required value")]
    [InlineData("nginx", "spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")")]
    public void Validate_IngressClassController_DomainPrefixedPath(string controller, string? expected)
    {
        var ingressClass = new V1IngressClass { Metadata = new V1ObjectMeta { Name = "nginx" }, Spec = new V1IngressClassSpec { Controller = controller } };

        Errors.Equal(IngressClassValidation.Validate(ingressClass), expected is null ? [] : [expected]);
    }

    [Fact]
    public void ValidateUpdate_IngressClassController_Immutable()
    {
        var old = new V1IngressClass { Metadata = new V1ObjectMeta { Name = "nginx" }, Spec = new V1IngressClassSpec { Controller = "example.com/a" } };
        var ingressClass = new V1IngressClass { Metadata = new V1ObjectMeta { Name = "nginx" }, Spec = new V1IngressClassSpec { Controller = "example.com/b" } };

        Errors.Equal(IngressClassValidation.ValidateUpdate(ingressClass, old), "spec.controller: Invalid value: \"example.com/b\": field is immutable");
    }

    private static V1Ingress Ingress() => new()
    {
        Metadata = ValidObjects.Meta(),
        Spec = new V1IngressSpec
        {
            Rules =
            [
                new V1IngressRule
                {
                    Host = "example.com",
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Number = 80 } } } }],
                    },
                },
            ],
        },
    };
}
