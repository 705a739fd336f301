using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Weights;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>One store of a model spread over several (student, predictor, teacher), and the state_dict name of each of its entries.</summary>
public sealed record NamedStore(ParameterStore Store, Func<string, string> FileName)
{
    public static NamedStore Same(ParameterStore store) => new(store, n => n);
}

/// <summary>
/// A JEPA state_dict loaded into several stores at once: every store entry must be in the file (F32, its exact shape),
/// every file tensor must belong to a store or be one of the model's fixed tables, and a fixed table the file carries must
/// equal ours. Everything is checked before any store is written, so a rejected file leaves nothing half-loaded.
/// </summary>
public static class JepaWeights
{
    public static void Load(string path, SafetensorsFile file, IReadOnlyList<NamedStore> stores, IEnumerable<ConstantBuffer> constants)
    {
        var tables = constants.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var known = stores.SelectMany(s => s.Store.Layout.Entries.Select(e => s.FileName(e.Name))).Concat(tables.Keys).ToHashSet(StringComparer.Ordinal);
        var unexpected = file.Tensors.Keys.Where(k => !known.Contains(k)).ToList();
        if (unexpected.Count > 0)
            throw new UserError($"{path}: unexpected tensor(s) {string.Join(", ", unexpected.Take(8).Select(n => $"'{n}'"))}{(unexpected.Count > 8 ? $" … ({unexpected.Count})" : "")} for this model");
        foreach (var (name, table) in tables)
        {
            if (!file.Tensors.TryGetValue(name, out var t)) continue;   // fixed tables are optional: we recompute them
            var values = WeightsFile.CheckedFloat32(path, name, t, table.Shape);
            int bad = Enumerable.Range(0, values.Length).FirstOrDefault(i => values[i] != table.Values[i], -1);
            if (bad >= 0)
                throw new UserError($"{path}: '{name}' is the fixed sin-cos table, but element {bad} is {values[bad]:G9}, not {table.Values[bad]:G9} (leave it out to have it recomputed)");
        }
        var hosts = stores.Select(s =>
        {
            var host = new float[s.Store.Layout.Length];
            foreach (var e in s.Store.Layout.Entries)
            {
                string name = s.FileName(e.Name);
                if (!file.Tensors.TryGetValue(name, out var t)) throw new UserError($"{path}: missing tensor '{name}'");
                WeightsFile.CheckedFloat32(path, name, t, e.Shape).CopyTo(host, e.Offset);
            }
            return host;
        }).ToList();
        for (int i = 0; i < stores.Count; i++) stores[i].Store.Values.CopyFrom(hosts[i]);
    }
}
