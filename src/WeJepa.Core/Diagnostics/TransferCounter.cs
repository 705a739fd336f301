namespace WeJepa.Core.Diagnostics;

/// <summary>
/// Bytes moved between host memory and device memory through one runtime (the Vulkan device, the learning
/// engine's device), counted at the runtime's explicit host transfers: uploads, reads back, and the staging
/// copies behind them. The zero-copy bridge proves its steady state by a zero difference of two snapshots.
/// Thread-safe.
/// </summary>
public sealed class TransferCounter
{
    private long _toDevice, _toHost;

    public void AddHostToDevice(long bytes) => Interlocked.Add(ref _toDevice, bytes);
    public void AddDeviceToHost(long bytes) => Interlocked.Add(ref _toHost, bytes);

    /// <summary>The totals so far; subtract two snapshots for the bytes moved in between.</summary>
    public TransferSnapshot Snapshot() => new(Interlocked.Read(ref _toDevice), Interlocked.Read(ref _toHost));
}

/// <summary>Bytes moved host → device and device → host (totals, or a difference of two snapshots).</summary>
public readonly record struct TransferSnapshot(long HostToDevice, long DeviceToHost)
{
    public long Total => HostToDevice + DeviceToHost;

    public static TransferSnapshot operator -(TransferSnapshot later, TransferSnapshot earlier) =>
        new(later.HostToDevice - earlier.HostToDevice, later.DeviceToHost - earlier.DeviceToHost);

    public static TransferSnapshot operator +(TransferSnapshot a, TransferSnapshot b) =>
        new(a.HostToDevice + b.HostToDevice, a.DeviceToHost + b.DeviceToHost);

    public override string ToString() => $"{HostToDevice:N0} B host→device, {DeviceToHost:N0} B device→host";
}
