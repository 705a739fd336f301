using System.CommandLine;

namespace WeJepa.App.Commands;

/// <summary>
/// One top-level verb of the CLI (<c>demo</c>, <c>simulate</c>, …). Every implementation in this
/// assembly is discovered by <see cref="Program"/>, so adding a verb is adding one file.
/// </summary>
public interface ICliCommand
{
    Command Build();
}
