namespace WeJepa.Learning.Devices;

/// <summary>Which BLAS runs the CPU accelerator's GEMMs (CUDA always uses cuBLAS, or its GEMM kernel without one).</summary>
public enum BlasBackend
{
    /// <summary>Per product: oneDNN for large ones (where its AVX-512 JIT code wins), OpenBLAS for small ones and when oneDNN is absent.</summary>
    Auto,
    /// <summary>OpenBLAS for every product.</summary>
    OpenBlas,
    /// <summary>oneDNN for every product (a UserError at device creation when libdnnl is missing).</summary>
    OneDnn,
}
