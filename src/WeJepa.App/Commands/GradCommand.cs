using System.CommandLine;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning;
using WeJepa.Learning.Devices;
using WeJepa.Learning.Weights;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa grad --model hnn|lnn|mlp|vit-layer --weights W --batch X --out G [--heads H] [--device D]</c>:
/// loads PyTorch-named weights and a batch, computes the model's training loss and every parameter
/// gradient, and writes <c>loss</c> (1,) plus each gradient under its parameter's name — how a PyTorch
/// user cross-checks a port.
/// </summary>
public sealed class GradCommand : ICliCommand
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "Model: hnn | lnn | mlp | vit-layer", Required = true };
        model.AcceptOnlyFromAmong(GradModels.Names);
        var weights = new Option<string>("--weights") { Description = "Weights (.safetensors, PyTorch state_dict names, float32)", Required = true };
        var batch = new Option<string>("--batch") { Description = "Batch (.safetensors, float32): hnn/mlp x, dxdt (B,2d); lnn q, v (B,T,d), dt (1); vit-layer x, target (B,N,D); d = 1 (pendulum) or 2, from the weights", Required = true };
        var output = new Option<string>("--out") { Description = "Output .safetensors: loss (1,) and every gradient under its parameter's name", Required = true };
        var heads = new Option<int?>("--heads") { Description = "Attention heads (vit-layer only; must divide D)" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var command = new Command("grad",
            "Compute a model's training loss and every parameter gradient for PyTorch weights and a batch; write them as safetensors " +
            "(hnn/mlp: mean((f(x) − dxdt)²); lnn: the Euler–Lagrange residual; vit-layer: mean((layer(x) − target)²))")
        {
            model, weights, batch, output, heads, device,
        };
        command.SetAction(parse =>
        {
            var (name, weightsPath, batchPath, outPath) = (parse.GetValue(model)!, parse.GetValue(weights)!, parse.GetValue(batch)!, parse.GetValue(output)!);
            if (name != "vit-layer" && parse.GetValue(heads) is not null)
                throw new UserError($"--heads applies to --model vit-layer only (got --model {name})");
            if (weightsPath.Length == 0) throw new UserError("--weights: the path is empty; name a .safetensors file");
            if (batchPath.Length == 0) throw new UserError("--batch: the path is empty; name a .safetensors file");
            OutputTarget.CheckFile("--out", outPath, weightsPath, batchPath);
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            using var runner = GradModels.Create(name, dev, weightsPath, parse.GetValue(heads));
            var result = runner.Run(batchPath);
            WeightsFile.Write(outPath, result);
            Console.WriteLine($"wrote {outPath}: loss {result[0].Values[0]:G9} and {result.Count - 1} gradients ({name}, {dev})");
            return 0;
        });
        return command;
    }
}
