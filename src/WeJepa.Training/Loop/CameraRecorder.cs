using WeJepa.Bridge;
using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Loop;

/// <summary>
/// Films episodes with the live simulator: each step renders the current frame of all episodes into one
/// <see cref="SharedBuffer"/>, the encoder reads it in place (no host copy of a frame), and only the features and the
/// states come back to the host; then the physics advances. One slot and no worker thread (unlike the training batch
/// streams): every byte a step moves happens inside that step, so the transfer counters account for a step exactly.
/// </summary>
public static class CameraRecorder
{
    /// <summary>Episodes [firstEpisode, firstEpisode + episodes) of <paramref name="scene"/>, <paramref name="frames"/> frames each (step 0 included).</summary>
    public static CameraRecording Record(VulkanDevice vulkan, Device engine, Scene scene, IFrameEncoder encoder, int episodes, int frames, int firstEpisode = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 2);
        int s = scene.StateSize, f = encoder.FeatureSize;
        var spec = RenderSpec.FromScene(scene);
        using var physics = new GpuPhysics(vulkan, scene, episodes, firstEpisode);
        using var renderer = new GpuRenderer(vulkan, spec);
        using var looks = vulkan.CreateBuffer(4L * episodes * EnvLooks.FloatsPerEnv);
        looks.Upload<float>(EnvLooks.Draw(spec, firstEpisode, physics.LengthScales.ReadToHost<float>(episodes)));
        long frameBatchBytes = episodes * renderer.FrameBytes(FrameFormat.Float32);
        using var shared = SharedBuffer.Create(vulkan, engine, frameBatchBytes);
        var (features, states) = (new float[(long)episodes * frames * f], new float[(long)episodes * frames * s]);
        var tape = new Tape(engine);
        (Core.Diagnostics.TransferSnapshot Sim, Core.Diagnostics.TransferSnapshot Engine) start = default;
        for (int t = 0; t < frames; t++)
        {
            if (t == 1) start = (vulkan.Transfers.Snapshot(), engine.Transfers.Snapshot());
            shared.ReleaseToSimulator();
            renderer.Render(physics.State, looks, new FrameIndexing(1, (uint)firstEpisode, (uint)t), 0, episodes, shared.Vulkan, 0, FrameFormat.Float32);
            var state = physics.ReadState();
            var feature = tape.Step(() => encoder.Encode(shared.Float32(0, episodes, 3, spec.Height, spec.Width)).ToArray());
            for (int e = 0; e < episodes; e++)
            {
                Array.Copy(feature, (long)e * f, features, ((long)e * frames + t) * f, f);
                Array.Copy(state, (long)e * s, states, ((long)e * frames + t) * s, s);
            }
            if (t < frames - 1) physics.Step(1);
        }
        long steps = frames - 1;
        var traffic = new RecordingTraffic(steps, vulkan.Transfers.Snapshot() - start.Sim, engine.Transfers.Snapshot() - start.Engine,
            steps * (4L * episodes * (s + f) + encoder.HostBytesPerEncode), frameBatchBytes);
        return new CameraRecording(scene, episodes, frames, f, s, features, states, firstEpisode, traffic);
    }
}
