namespace WeJepa.Learning.Parameters;

/// <summary>
/// A non-trainable tensor a PyTorch module keeps in its state_dict (<c>register_buffer</c>) whose value is
/// fixed by the model's definition (the HNN's J). Weights files carry it for PyTorch; loading checks it.
/// </summary>
public sealed record ConstantBuffer(string Name, int[] Shape, float[] Values);
