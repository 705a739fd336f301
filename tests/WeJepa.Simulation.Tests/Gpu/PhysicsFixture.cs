using WeJepa.Core.Scenes;
using WeJepa.TestSupport;

namespace WeJepa.Simulation.Tests.Gpu;

/// <summary>A validated Vulkan device per test class (<see cref="VulkanDeviceFixture"/>) and the scenes the physics tests run.</summary>
public abstract class PhysicsFixture : VulkanDeviceFixture
{
    /// <summary>A scene with one system and its initial-state ranges (YAML flow maps).</summary>
    protected static Scene SceneOf(string system, string initial, string integrator, double dt, string randomization = "") =>
        SceneLoader.Parse($$"""
            scene: { seed: 7, dt: {{dt}}, steps: 100, envs: 8, integrator: {{integrator}} }
            objects:
              - name: body
                components:
                  {{system}}
                  InitialState: {{initial}}
            {{randomization}}
            """, "test.yaml");

    protected const string Simple = "Pendulum: { length: 1.0, mass: 1.0, gravity: 9.81 }";
    protected const string Damped = "Pendulum: { length: 0.8, mass: 2.0, gravity: 9.81, damping: 0.3 }";
    protected const string Driven = "Pendulum: { length: 1.0, mass: 1.0, gravity: 9.81, damping: 0.5, drive: { amplitude: 12.0, frequency: 0.45 } }";
    protected const string DrivenUndamped = "Pendulum: { length: 1.0, mass: 1.0, gravity: 9.81, drive: { amplitude: 3.0, frequency: 0.7 } }";
    protected const string Double = "DoublePendulum: { l1: 1.0, l2: 0.7, m1: 1.0, m2: 0.5, gravity: 9.81 }";
    protected const string DoubleDamped = "DoublePendulum: { l1: 1.0, l2: 1.0, m1: 1.0, m2: 1.0, gravity: 9.81, damping: 0.2 }";
    protected const string SingleInitial = "{ theta: { uniform: [-2.5, 2.5] }, omega: { uniform: [-1.0, 1.0] } }";
    protected const string DoubleInitial = "{ theta1: { uniform: [1.0, 2.5] }, theta2: { uniform: [-1.0, 1.0] }, omega1: { uniform: [-0.5, 0.5] }, omega2: 0.0 }";
    protected const string LengthRandomization = """
          - name: camera
            components:
              Randomization: { length_scale: [0.6, 1.5] }
        """;
}
