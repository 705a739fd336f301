namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>The same memory with a new shape (one dim may be −1). No copy: tensors are contiguous.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var resolved = ResolveShape("reshape", x.Shape, shape);
        var y = x.ViewAs(resolved);
        return Tape.Record("reshape", y, [x], (g, _) => [Reshape(g, x.Shape)]);
    }

    static int[] ResolveShape(string op, int[] from, int[] shape)
    {
        var result = (int[])shape.Clone();
        int inferred = Array.IndexOf(result, -1);
        int known = 1;
        for (int i = 0; i < result.Length; i++)
            if (i != inferred) known *= result[i];
        int length = Shapes.Product(from);
        if (inferred >= 0 && known > 0 && length % known == 0) result[inferred] = length / known;
        if (Shapes.Product(result) != length || result.Any(d => d < 0))
            throw new ShapeError($"{op}: cannot view shape {Shapes.Format(from)} as {Shapes.Format(shape)}");
        return result;
    }
}
