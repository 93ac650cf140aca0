using System.Text.Json;
using Flotilla.Api;
using Flotilla.Kubelet.Runtime;

namespace Flotilla.Kubelet.Stats;

/// <summary>
/// The kubelet's <c>/stats/summary</c> (upstream's Summary API, stats/v1alpha1): the node's CPU, memory and
/// filesystems, then each pod with its containers' CPU and memory (cumulative CPU; rates are left to the reader, as
/// metrics-server computes them). Field names as upstream's; absent readings are left out.
/// </summary>
public static class StatsSummary
{
    public static byte[] Format(string nodeName, DateTimeOffset nodeStart, UsageSnapshot snapshot, bool onlyCpuAndMemory)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            var node = snapshot.Node;
            w.WriteStartObject();
            w.WriteStartObject("node");
            w.WriteString("nodeName", nodeName);
            w.WriteString("startTime", Time(nodeStart));
            Cpu(w, node.Time, node.CpuCoreNanoSeconds);
            Memory(w, node.Time, node.MemoryWorkingSetBytes, node.MemoryAvailableBytes);
            if (!onlyCpuAndMemory)
            {
                Fs(w, "fs", node.Time, node.NodeFs);
                w.WriteStartObject("runtime");
                Fs(w, "imageFs", node.Time, node.ImageFs);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartArray("pods");
            foreach (var pod in snapshot.Pods)
            {
                w.WriteStartObject();
                w.WriteStartObject("podRef");
                w.WriteString("name", pod.Name);
                w.WriteString("namespace", pod.Namespace);
                w.WriteString("uid", pod.Uid);
                w.WriteEndObject();
                w.WriteString("startTime", Time(pod.StartTime));
                w.WriteStartArray("containers");
                foreach (var c in pod.Containers)
                {
                    w.WriteStartObject();
                    w.WriteString("name", c.Name);
                    w.WriteString("startTime", Time(c.StartTime));
                    Cpu(w, c.Usage.Time, c.Usage.CpuCoreNanoSeconds);
                    Memory(w, c.Usage.Time, c.Usage.MemoryWorkingSetBytes, null);
                    if (!onlyCpuAndMemory && c.Usage.WritableLayerBytes is { } written)
                    {
                        w.WriteStartObject("rootfs");
                        w.WriteString("time", Time(c.Usage.Time));
                        w.WriteNumber("usedBytes", written);
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                Cpu(w, pod.Time, pod.CpuCoreNanoSeconds);
                Memory(w, pod.Time, pod.MemoryWorkingSetBytes, null);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Cpu(Utf8JsonWriter w, DateTimeOffset time, ulong coreNanoSeconds)
    {
        w.WriteStartObject("cpu");
        w.WriteString("time", Time(time));
        w.WriteNumber("usageCoreNanoSeconds", coreNanoSeconds);
        w.WriteEndObject();
    }

    private static void Memory(Utf8JsonWriter w, DateTimeOffset time, ulong workingSet, ulong? available)
    {
        w.WriteStartObject("memory");
        w.WriteString("time", Time(time));
        if (available is { } a)
        {
            w.WriteNumber("availableBytes", a);
        }

        w.WriteNumber("workingSetBytes", workingSet);
        w.WriteEndObject();
    }

    private static void Fs(Utf8JsonWriter w, string name, DateTimeOffset time, FsUsage fs)
    {
        w.WriteStartObject(name);
        w.WriteString("time", Time(time));
        w.WriteNumber("availableBytes", fs.AvailableBytes);
        w.WriteNumber("capacityBytes", fs.CapacityBytes);
        w.WriteNumber("usedBytes", fs.UsedBytes);
        if (fs is { Inodes: { } inodes, InodesFree: { } free })
        {
            w.WriteNumber("inodesFree", free);
            w.WriteNumber("inodes", inodes);
            w.WriteNumber("inodesUsed", inodes - Math.Min(inodes, free));
        }

        w.WriteEndObject();
    }

    private static string Time(DateTimeOffset time) => Timestamps.Format(time.UtcDateTime)!;
}
