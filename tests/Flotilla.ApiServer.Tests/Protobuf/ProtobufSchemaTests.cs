using System.Reflection;
using System.Text.Json.Serialization;
using Flotilla.ApiServer.Protobuf;

namespace Flotilla.ApiServer.Tests.Protobuf;

public sealed class ProtobufSchemaTests
{
    // What kubectl 1.32 sends as protobuf (create ..., create token, auth can-i), with no JSON fallback.
    public static TheoryData<string, string> KubectlKinds => new()
    {
        { "v1", "Namespace" }, { "v1", "ConfigMap" }, { "v1", "Secret" }, { "v1", "Service" }, { "v1", "ServiceAccount" },
        { "v1", "ResourceQuota" }, { "apps/v1", "Deployment" }, { "batch/v1", "Job" }, { "batch/v1", "CronJob" },
        { "networking.k8s.io/v1", "Ingress" }, { "scheduling.k8s.io/v1", "PriorityClass" },
        { "rbac.authorization.k8s.io/v1", "Role" }, { "rbac.authorization.k8s.io/v1", "RoleBinding" },
        { "rbac.authorization.k8s.io/v1", "ClusterRole" }, { "rbac.authorization.k8s.io/v1", "ClusterRoleBinding" },
        { "policy/v1", "PodDisruptionBudget" }, { "authentication.k8s.io/v1", "TokenRequest" },
        { "authorization.k8s.io/v1", "SelfSubjectAccessReview" },
    };

    public static TheoryData<string, string> AllKinds
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (apiVersion, kind) in ProtobufSchema.Default.Kinds)
            {
                data.Add(apiVersion, kind);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(KubectlKinds))]
    public void Default_KindKubectlSendsAsProtobuf_HasASchema(string apiVersion, string kind)
    {
        Assert.True(ProtobufSchema.Default.TryGetKind(apiVersion, kind, out _));
    }

    [Fact]
    public void Default_EveryMessage_IsReachableFromAKind()
    {
        var reached = new HashSet<string>();
        var pending = new Stack<MessageSchema>(ProtobufSchema.Default.Kinds.Select(k =>
            ProtobufSchema.Default.TryGetKind(k.ApiVersion, k.Kind, out var m) ? m : throw new InvalidOperationException()));
        while (pending.TryPop(out var message))
        {
            if (reached.Add(message.Name))
            {
                foreach (var field in message.Fields.Where(f => f.Message is not null))
                {
                    pending.Push(field.Message!);
                }
            }
        }

        Assert.Empty(ProtobufSchema.Default.Messages.Select(m => m.Name).Except(reached));
    }

    // The schema's JSON names are checked against the KubernetesClient models, which the API server decodes into.
    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Default_JsonNames_AreThoseOfTheKubernetesClientModel(string apiVersion, string kind)
    {
        var model = KubernetesModels.TypeOf(apiVersion, kind);
        Assert.True(ProtobufSchema.Default.TryGetKind(apiVersion, kind, out var message));
        var missing = new List<string>();

        Compare(message, model, message.Name, missing, []);

        Assert.Empty(missing);
    }

    private static void Compare(MessageSchema message, Type model, string path, List<string> missing, HashSet<string> seen)
    {
        if (!seen.Add($"{message.Name}>{model.FullName}"))
        {
            return;
        }

        var properties = model.GetProperties()
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.Property.PropertyType);
        foreach (var field in message.Fields)
        {
            if (field.IsInline)
            {
                Compare(field.Message!, model, path, missing, seen);
            }
            else if (!properties.TryGetValue(field.JsonName!, out var type))
            {
                missing.Add($"{path}.{field.JsonName} ({model.Name})");
            }
            else if (field.Message is not null)
            {
                Compare(field.Message, ElementType(type), $"{path}.{field.JsonName}", missing, seen);
            }
        }
    }

    private static Type ElementType(Type type) =>
        type.IsGenericType ? type.GetGenericArguments()[^1] : Nullable.GetUnderlyingType(type) ?? type;
}
