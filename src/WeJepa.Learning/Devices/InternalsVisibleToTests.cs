using System.Runtime.CompilerServices;

// The engine's tests check internal seams (e.g. the missing-OpenBLAS error) without a broken machine.
[assembly: InternalsVisibleTo("WeJepa.Learning.Tests")]
