using System.CommandLine;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning;
using WeJepa.Learning.Devices;
using WeJepa.Learning.Weights;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa grad --model hnn|lnn|mlp|vit-layer|vit|vjepa|ijepa|video-jepa --weights W --batch X --out G [--heads H]
/// [--activation relu|gelu] [--device D]</c>:
/// loads PyTorch-named weights and a batch, computes the model's training loss and every parameter
/// gradient, and writes <c>loss</c> (1,) plus each gradient under its parameter's name — how a PyTorch
/// user cross-checks a port.
/// </summary>
public sealed class GradCommand : ICliCommand
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model: hnn | lnn | mlp | vit-layer | vit | vjepa | ijepa | video-jepa", Required = true };
        model.AcceptOnlyFromAmong(GradModels.Names);
        var weights = new Option<string>("--weights") { Description = "Weights (.safetensors, PyTorch state_dict names, float32)", Required = true };
        var batch = new Option<string>("--batch")
        {
            Description = "Batch (.safetensors): hnn/mlp x, dxdt (B,2d); lnn q, v (B,T,d), dt (1); vit-layer x, target (B,N,D) (d = 1 or 2, from the weights); " +
                "vit images (B,3,H,W), optional context_index (B,K), target (B,K,D); " +
                "vjepa images, context_mask (B,N) (1 = hidden from the context encoder), target_mask (B,N) (1 = target), BOOL or U8; " +
                "ijepa images / video-jepa clips (B,T,3,H,W), context_index (B,Nc), target_index (B,M,Nt). " +
                "Floats F32, token indices I64 or I32 (row-major patch order, distinct per sample)",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "Output .safetensors: loss (1,) and every gradient under its parameter's name", Required = true };
        var heads = new Option<int?>("--heads") { Description = "Attention heads of vit-layer and the JEPA models, encoder and predictor (must divide D and Dp)" };
        var activation = new Option<string?>("--activation") { Description = "vjepa's feed-forward activation: relu (PyTorch's default, the seed's) | gelu" };
        activation.AcceptOnlyFromAmong("relu", "gelu");
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var command = new Command("grad",
            "Compute a model's training loss and every parameter gradient for PyTorch weights and a batch; write them as safetensors " +
            "(hnn/mlp: mean((f(x) − dxdt)²); lnn: the Euler–Lagrange residual; vit-layer, vit: mean((f(x) − target)²); " +
            "vjepa: the seed's MSE over all N slots; ijepa, video-jepa: smooth-L1 against the LayerNorm-ed teacher at the targets). " +
            "JEPA depth, widths, patch and tubelet come from the weights' shapes (PyTorch state_dict names: ijepa's under encoder./predictor./target_encoder., " +
            "the seed's V-JEPA's), the token grid from the batch; fixed sin-cos tables may be in the file (checked) or left out (recomputed); " +
            "dropout is 0; frozen target encoders get zero gradients. " +
            "V-JEPA is a baseline: its target encoder is random and never trained, so its loss can fall only to that of the best constant prediction")
        {
            model, weights, batch, output, heads, activation, device,
        };
        command.SetAction(parse =>
        {
            var (name, weightsPath, batchPath, outPath) = (parse.GetValue(model)!, parse.GetValue(weights)!, parse.GetValue(batch)!, parse.GetValue(output)!);
            if (!GradModels.WithHeads.Contains(name) && parse.GetValue(heads) is not null)
                throw new UserError($"--heads applies to --model {string.Join(", ", GradModels.WithHeads)} only (got --model {name})");
            if (name != "vjepa" && parse.GetValue(activation) is not null)
                throw new UserError($"--activation applies to --model vjepa only (got --model {name})");
            if (weightsPath.Length == 0) throw new UserError("--weights: the path is empty; name a .safetensors file");
            if (batchPath.Length == 0) throw new UserError("--batch: the path is empty; name a .safetensors file");
            OutputTarget.CheckFile("--out", outPath, weightsPath, batchPath);
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            using var runner = GradModels.Create(name, dev, weightsPath, parse.GetValue(heads), parse.GetValue(activation));
            var result = runner.Run(batchPath);
            WeightsFile.Write(outPath, result);
            Console.WriteLine($"wrote {outPath}: loss {result[0].Values[0]:G9} and {result.Count - 1} gradients ({name}, {dev})");
            return 0;
        });
        return command;
    }
}
