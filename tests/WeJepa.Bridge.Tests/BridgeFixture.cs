using WeJepa.Learning.Devices;
using WeJepa.TestSupport;
using EngineDevice = WeJepa.Learning.Devices.Device;

namespace WeJepa.Bridge.Tests;

/// <summary>A Vulkan device (lavapipe, validated: <see cref="VulkanDeviceFixture"/>) and a CPU engine device per test class.</summary>
public abstract class BridgeFixture : VulkanDeviceFixture
{
    protected EngineDevice Engine { get; private set; } = null!;

    [OneTimeSetUp]
    public void OpenEngine() => Engine = EngineDevice.Create(DeviceKind.Cpu);

    [OneTimeTearDown]
    public void CloseEngine() => Engine.Dispose();
}
