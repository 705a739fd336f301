using System.CommandLine;
using Spectre.Console;
using WeJepa.App.Terminal;

namespace WeJepa.App.Commands;

/// <summary><c>wejepa doctor</c>: what this machine offers, and what each missing piece disables.</summary>
public sealed class DoctorCommand : ICliCommand
{
    public Command Build()
    {
        var command = new Command("doctor",
            "Report what this machine offers (Vulkan loader, drivers and devices with the one the simulator picks, glslc, " +
            "the ILGPU devices with the one --device auto picks, OpenBLAS, a display, the Python references) and what each missing piece disables. Always exits 0");
        command.SetAction(_ =>
        {
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("check").AddColumn("").AddColumn("found").AddColumn("if missing, disables");
            var checks = DoctorChecks.All().ToList();
            foreach (var c in checks)
                table.AddRow(Markup.Escape(c.Name), c.Ok ? "[green]ok[/]" : "[red]missing[/]", Markup.Escape(c.Detail),
                    c.Ok ? "" : Markup.Escape(c.WhenMissing));
            var stdout = Consoles.Out;
            stdout.Write(table);
            var missing = checks.Count(c => !c.Ok);
            stdout.WriteLine(missing == 0 ? "doctor: everything is available" : $"doctor: {missing} of {checks.Count} missing (see the last column)");
            return 0;
        });
        return command;
    }
}
