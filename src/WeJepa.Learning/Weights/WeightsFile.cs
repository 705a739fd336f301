using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Weights;

/// <summary>What <see cref="WeightsFile.Load"/> tolerates beyond an exact match of names, shapes and dtypes.</summary>
/// <param name="AllowMissing">Parameters absent from the file keep their current values.</param>
/// <param name="AllowUnexpected">Tensors in the file that the model does not have are ignored.</param>
public sealed record WeightsLoadOptions(bool AllowMissing = false, bool AllowUnexpected = false)
{
    public static readonly WeightsLoadOptions Strict = new();
}

/// <summary>
/// A model's weights as a safetensors file keyed by PyTorch <c>state_dict</c> names, so PyTorch users can
/// load ours (<c>load_state_dict</c>) and we can load theirs. Loading validates every tensor before any is
/// copied (nothing half-loaded); saving is atomic (temporary file + rename, by <see cref="Safetensors.Write"/>).
/// </summary>
public static class WeightsFile
{
    /// <summary>Writes every parameter (state_dict order) and the model's constant buffers; <paramref name="metadata"/> goes into the header's <c>__metadata__</c> (load_state_dict ignores it).</summary>
    public static void Save(string path, ParameterStore parameters, IEnumerable<ConstantBuffer>? buffers = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var values = parameters.ToArray();
        var tensors = parameters.Layout.Entries
            .Select(e => KeyValuePair.Create(e.Name, Float32(values.AsSpan((int)e.Offset, (int)e.Length).ToArray(), e.Shape)))
            .Concat((buffers ?? []).Select(b => KeyValuePair.Create(b.Name, Float32(b.Values, b.Shape))));
        Safetensors.Write(path, tensors, metadata);
    }

    /// <summary>Writes named host arrays (gradients, losses) in the given order, atomically.</summary>
    public static void Write(string path, IEnumerable<(string Name, int[] Shape, float[] Values)> tensors) =>
        Safetensors.Write(path, tensors.Select(t => KeyValuePair.Create(t.Name, Float32(t.Values, t.Shape))));

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="parameters"/>. Every problem is a <see cref="UserError"/>
    /// naming the file and the tensor: a missing or unexpected name, a wrong shape, a dtype other than F32,
    /// a constant buffer with the wrong value, or a malformed/truncated file.
    /// </summary>
    public static void Load(string path, ParameterStore parameters, IEnumerable<ConstantBuffer>? buffers = null,
        WeightsLoadOptions? options = null)
    {
        options ??= WeightsLoadOptions.Strict;
        var file = Safetensors.Read(path, "weights file");
        var constants = (buffers ?? []).ToDictionary(b => b.Name, StringComparer.Ordinal);
        var layout = parameters.Layout;

        var unexpected = file.Tensors.Keys.Where(k => !layout.Contains(k) && !constants.ContainsKey(k)).ToList();
        if (unexpected.Count > 0 && !options.AllowUnexpected)
            throw new UserError($"{path}: unexpected tensor(s) {Quote(unexpected)} (the model has: {Quote(layout.Entries.Select(e => e.Name))})");
        var missing = layout.Entries.Where(e => !file.Tensors.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        if (missing.Count > 0 && !options.AllowMissing)
            throw new UserError($"{path}: missing tensor(s) {Quote(missing)}");

        foreach (var (name, buffer) in constants)
        {
            if (!file.Tensors.TryGetValue(name, out var t)) continue; // buffers are optional: they are fixed by the model
            var values = CheckedFloat32(path, name, t, buffer.Shape);
            if (!values.AsSpan().SequenceEqual(buffer.Values))
                throw new UserError($"{path}: buffer '{name}' holds [{string.Join(", ", values)}], but this model fixes it to [{string.Join(", ", buffer.Values)}]");
        }

        var host = parameters.ToArray();
        foreach (var e in layout.Entries)
        {
            if (!file.Tensors.TryGetValue(e.Name, out var t)) continue;
            CheckedFloat32(path, e.Name, t, e.Shape).CopyTo(host, e.Offset);
        }
        parameters.Values.CopyFrom(host);
    }

    /// <summary>The values of a file tensor after checking it is F32 with exactly <paramref name="shape"/>.</summary>
    public static float[] CheckedFloat32(string path, string name, SafetensorsTensor t, int[] shape)
    {
        if (t.DType != SafetensorsDType.F32)
            throw new UserError($"{path}: tensor '{name}' has dtype {t.DType}, expected F32");
        if (!t.Shape.SequenceEqual(shape.Select(d => (long)d)))
            throw new UserError($"{path}: tensor '{name}' has shape ({string.Join(", ", t.Shape)}), expected ({string.Join(", ", shape)})");
        var values = t.ToFloat32();
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) throw new UserError($"{path}: tensor '{name}' holds {values[bad]} at element {bad}; weights must be finite");
        return values;
    }

    static SafetensorsTensor Float32(float[] values, int[] shape) => SafetensorsTensor.FromFloat32(values, shape.Select(d => (long)d).ToArray());

    static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
