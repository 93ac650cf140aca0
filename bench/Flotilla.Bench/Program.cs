using System.CommandLine;
using Flotilla.Bench.ApiServer;
using Flotilla.Bench.Audit;
using Flotilla.Bench.Auth;
using Flotilla.Bench.Controllers;
using Flotilla.Bench.Density;
using Flotilla.Bench.Scheduler;
using Flotilla.Bench.Store;

// One console app, one sub-command per benchmark (DESIGN.md §4): a human table, then one JSON line of figures.
var root = new RootCommand("Flotilla benchmarks") { StoreBenchmark.Command(), ApiServerBenchmark.Command(), AuthBenchmark.Command(), AuditBenchmark.Command(), SchedulerBenchmark.Command(), ControllersBenchmark.Command(), DensityBenchmark.Command(), Flotilla.Bench.PodStartup.PodStartupBenchmark.Command(), Flotilla.Bench.Streaming.StreamingBenchmark.Command(), Flotilla.Bench.Proxy.ProxyBenchmark.Command(), Flotilla.Bench.Dns.DnsBenchmark.Command(), Flotilla.Bench.Ingress.IngressBenchmark.Command(), Flotilla.Bench.Cluster.TimeToClusterBenchmark.Command(), Flotilla.Bench.Cluster.FailoverBenchmark.Command() };
return await root.Parse(args).InvokeAsync();
