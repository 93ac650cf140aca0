namespace Flotilla.Bench.Store;

public sealed record StoreFigures(double WritesPerSecond, double WriteP50Ms, double WriteP99Ms, double ListMs, double WatchEventsPerSecond);
