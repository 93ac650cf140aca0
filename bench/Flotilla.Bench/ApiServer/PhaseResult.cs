namespace Flotilla.Bench.ApiServer;

public sealed record PhaseResult(int Count, double Seconds, LatencyRecorder Latency);
