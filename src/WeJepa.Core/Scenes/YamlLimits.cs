using WeJepa.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace WeJepa.Core.Scenes;

/// <summary>
/// Bounds a YAML text before it is bound to typed records: its size, its nesting depth and the number of
/// nodes once aliases are expanded, and no alias may refer to its own anchor. YamlDotNet's document model
/// recurses per nesting level (30,000 levels overflow the stack, which no handler can catch) and hashes
/// mapping keys by value (an alias bomb used as a key costs ×9 per level, a self-referencing anchor
/// recurses forever), so the text is first walked as a stream of parser events, which stops at the first
/// node past a bound. Every refusal and every parser failure is a <see cref="UserError"/> at <c>file:line:col</c>.
/// </summary>
public static class YamlLimits
{
    /// <summary>Largest scene or config file read (the shipped scenes are ~1 KiB).</summary>
    public const int MaxBytes = 1 << 20;
    /// <summary>Deepest nesting of mappings and lists.</summary>
    public const int MaxDepth = 64;
    /// <summary>Most nodes (scalars, lists, mappings) in a document with every alias expanded.</summary>
    public const long MaxNodes = 100_000;

    /// <summary>Walks <paramref name="yaml"/> as parser events, refusing it at the first bound it passes.</summary>
    public static void Check(string yaml, string source)
    {
        if (yaml.Length > MaxBytes)
            throw new UserError($"{source}:1:1: the file is {yaml.Length} characters, more than the {MaxBytes} a YAML input may hold");
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<Frame>(); // the mappings and lists entered and not yet left
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        Mark at = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                at = e.Start;
                long nodes = 0;
                switch (e)
                {
                    case MappingStart or SequenceStart:
                        if (open.Count == MaxDepth)
                            throw Error(source, at, $"nested deeper than {MaxDepth} levels of mappings and lists");
                        var flow = e is MappingStart { Style: MappingStyle.Flow } ? "{" : e is SequenceStart { Style: SequenceStyle.Flow } ? "[" : null;
                        open.Push(new Frame(AnchorOf((NodeEvent)e), 1, at, flow));
                        break;
                    case MappingEnd or SequenceEnd:
                        var done = open.Pop();
                        if (done.Anchor is not null) sizes[done.Anchor] = done.Nodes;
                        nodes = done.Nodes;
                        break;
                    case Scalar s:
                        if (AnchorOf(s) is { } name) sizes[name] = 1;
                        nodes = 1;
                        break;
                    case AnchorAlias alias:
                        var target = alias.Value.Value;
                        if (open.Any(f => f.Anchor == target))
                            throw Error(source, at, $"alias *{target} refers to the node that defines &{target} (a cycle)");
                        nodes = sizes.TryGetValue(target, out var size) ? size
                            : throw Error(source, at, $"alias *{target} refers to no anchor &{target} defined before it");
                        break;
                }
                if (nodes == 0) continue;
                if (open.Count == 0) total += nodes;
                else
                {
                    var parent = open.Pop(); // a finished child counts in its parent
                    open.Push(parent with { Nodes = parent.Nodes + nodes });
                }
                if (total + open.Sum(f => f.Nodes) > MaxNodes)
                    throw Error(source, at, $"expands to more than {MaxNodes} nodes once its aliases are expanded");
            }
        }
        catch (YamlException e)
        {
            throw NotYaml(source, e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet reports some broken texts (a flow list left open with more lines after it) with a bare
            // exception; the outermost flow collection still open is where the text went wrong.
            if (open.LastOrDefault(f => f.Flow is not null) is { Flow: { } bracket } unclosed)
                throw Error(source, unclosed.Start, $"not valid YAML: this '{bracket}' is never closed");
            throw Error(source, at, $"not valid YAML after this point ({e.Message})");
        }
    }

    /// <summary>A YAML syntax error as <c>file:line:col: not valid YAML: why</c>.</summary>
    public static UserError NotYaml(string source, YamlException e)
    {
        var why = (e.InnerException?.Message ?? e.Message).Split(':').Last().Trim();
        if (why.StartsWith("Duplicate key ", StringComparison.Ordinal))
            return new UserError($"{source}:{e.Start.Line}:{e.Start.Column}: duplicate key '{why["Duplicate key ".Length..]}'");
        return new UserError($"{source}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {why}");
    }

    /// <summary>One open mapping or list: its anchor, its node count so far, where it starts, and "[" / "{" when in flow style.</summary>
    private readonly record struct Frame(string? Anchor, long Nodes, Mark Start, string? Flow);

    private static string? AnchorOf(NodeEvent e) => e.Anchor.IsEmpty ? null : e.Anchor.Value;

    private static UserError Error(string source, Mark at, string problem) => new($"{source}:{at.Line}:{at.Column}: {problem}");
}
