namespace WeJepa.Learning.Parameters;

/// <summary>
/// How a parameter starts. The PyTorch defaults are reproduced in distribution (not bit for bit: the
/// generator differs): <c>nn.Linear</c>'s kaiming-uniform(a=√5) weight and 1/√fan_in bias, ViT's
/// trunc-normal(0.02), Xavier-uniform, constants (LayerNorm's ones and zeros).
/// </summary>
public abstract record Initializer
{
    /// <summary>Fills <paramref name="values"/> (the parameter, row-major <paramref name="shape"/>).</summary>
    public abstract void Fill(Span<float> values, int[] shape, InitRandom random);

    /// <summary>PyTorch's fan_in / fan_out: shape (out, in, k...) gives in·∏k and out·∏k; a vector has fan_in = its length.</summary>
    public static (long FanIn, long FanOut) Fans(int[] shape)
    {
        if (shape.Length < 2) return (shape[0], shape[0]);
        long receptive = 1;
        for (int i = 2; i < shape.Length; i++) receptive *= shape[i];
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary><c>nn.Linear</c> / <c>nn.Conv2d</c> default weight: kaiming_uniform_(a=√5) = U(−1/√fan_in, 1/√fan_in).</summary>
    public static readonly Initializer LinearWeight = new KaimingUniformLinear();

    /// <summary><c>nn.Linear</c> / <c>nn.Conv2d</c> default bias: U(−1/√fan_in, 1/√fan_in) with the weight's fan_in.</summary>
    public static Initializer LinearBias(long fanIn) => new Uniform(1.0 / Math.Sqrt(fanIn));

    public static readonly Initializer Zeros = new Constant(0f);
    public static readonly Initializer Ones = new Constant(1f);

    public sealed record Constant(float Value) : Initializer
    {
        public override void Fill(Span<float> values, int[] shape, InitRandom random) => values.Fill(Value);
    }

    /// <summary>U(−bound, bound).</summary>
    public sealed record Uniform(double Bound) : Initializer
    {
        public override void Fill(Span<float> values, int[] shape, InitRandom random)
        {
            for (int i = 0; i < values.Length; i++) values[i] = (float)((2 * random.NextDouble() - 1) * Bound);
        }
    }

    sealed record KaimingUniformLinear : Initializer
    {
        // gain = √(2/(1+a²)) with a = √5, bound = gain·√(3/fan_in) = 1/√fan_in.
        public override void Fill(Span<float> values, int[] shape, InitRandom random) =>
            new Uniform(1.0 / Math.Sqrt(Fans(shape).FanIn)).Fill(values, shape, random);
    }

    /// <summary><c>nn.init.xavier_uniform_</c>: U(±gain·√(6/(fan_in+fan_out))).</summary>
    public sealed record XavierUniform(double Gain = 1.0) : Initializer
    {
        public override void Fill(Span<float> values, int[] shape, InitRandom random)
        {
            var (fanIn, fanOut) = Fans(shape);
            new Uniform(Gain * Math.Sqrt(6.0 / (fanIn + fanOut))).Fill(values, shape, random);
        }
    }

    /// <summary><c>trunc_normal_(std, a, b)</c>: N(0, std²) redrawn until inside [A, B] (absolute bounds, as timm's).</summary>
    public sealed record TruncNormal(double Std = 0.02, double A = -2.0, double B = 2.0) : Initializer
    {
        public override void Fill(Span<float> values, int[] shape, InitRandom random)
        {
            if (!(A < B) || Std <= 0) throw new ArgumentException($"trunc-normal needs std > 0 and a < b (std {Std}, a {A}, b {B})");
            for (int i = 0; i < values.Length; i++)
            {
                double x;
                do x = Std * random.NextGaussian(); while (x < A || x > B);
                values[i] = (float)x;
            }
        }
    }
}
