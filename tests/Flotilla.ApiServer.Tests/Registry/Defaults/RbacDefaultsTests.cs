using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class RbacDefaultsTests
{
    private const string Subjects = """
        [{"kind":"User","name":"alice"},{"kind":"Group","name":"devs"},{"kind":"ServiceAccount","name":"sa","namespace":"ns"},
         {"kind":"User","name":"bob","apiGroup":"example.com"}]
        """;

    private const string Expected = """
        [{"kind":"User","name":"alice","apiGroup":"rbac.authorization.k8s.io"},{"kind":"Group","name":"devs","apiGroup":"rbac.authorization.k8s.io"},
         {"kind":"ServiceAccount","name":"sa","namespace":"ns"},{"kind":"User","name":"bob","apiGroup":"example.com"}]
        """;

    [Fact]
    public void Apply_RoleBinding_RoleRefAndSubjectGroups()
    {
        var binding = Defaulted.Json<V1RoleBinding>("""{"roleRef":{"kind":"Role","name":"r"},"subjects":SUBJECTS}""".Replace("SUBJECTS", Subjects, StringComparison.Ordinal));

        JsonAssert.Equal("""{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"}""", binding["roleRef"]);
        JsonAssert.Equal(Expected, binding["subjects"]);
    }

    [Fact]
    public void Apply_ClusterRoleBinding_RoleRefAndSubjectGroups()
    {
        var binding = Defaulted.Json<V1ClusterRoleBinding>("""{"roleRef":{"kind":"ClusterRole","name":"r"},"subjects":SUBJECTS}""".Replace("SUBJECTS", Subjects, StringComparison.Ordinal));

        JsonAssert.Equal("""{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"r"}""", binding["roleRef"]);
        JsonAssert.Equal(Expected, binding["subjects"]);
    }
}
