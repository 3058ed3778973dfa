using System.Reflection;
using System.Xml.Linq;
using Connector.Sync.Stores;
using Connector.Testing.Conformance;

namespace Connector.Conformance.Tests;

/// <summary>
/// Fails when a store implementation has no conformance suite. Store assemblies (<c>Connector.Stores.*</c>)
/// and their test assemblies (<c>Connector.Stores.*.Tests</c>) reach this project's output folder through
/// the wildcard project reference in the csproj; they are loaded from there, not from a hand-kept list.
/// A store project listed in Connector.slnx whose assembly does not arrive that way (no test project)
/// fails <see cref="StoreProjects_InTheSolution_AreAllLoaded"/>.
/// </summary>
public sealed class StoreConformanceCoverageTests
{
    private const string StoreAssemblyPrefix = "Connector.Stores.";

    [Fact]
    public void ItemStores_EachHasAConformanceSubclass()
    {
        var assemblies = LoadStoreAssemblies();
        var stores = assemblies
            .Where(a => !IsTestAssembly(a))
            .SelectMany(LoadableTypes)
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IItemStore).IsAssignableFrom(t))
            .ToList();
        var covered = assemblies
            .Where(IsTestAssembly)
            .SelectMany(LoadableTypes)
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .Select(StoreUnderTest)
            .OfType<Type>()
            .ToHashSet();

        var missing = stores.Where(s => !covered.Contains(s)).Select(s => s.FullName).ToList();

        Assert.NotEmpty(stores);
        Assert.True(
            missing.Count == 0,
            "Store implementations without a conformance suite: " + string.Join(", ", missing)
            + ". Add `public sealed class …ConformanceTests : ItemStoreConformanceTests<TheStore>` to tests/Connector.Stores.<Name>.Tests.");
    }

    [Fact]
    public void StoreProjects_InTheSolution_AreAllLoaded()
    {
        var solution = FindSolution();
        Assert.True(solution is not null, $"Connector.slnx not found above {AppContext.BaseDirectory}");
        var loaded = LoadStoreAssemblies().Select(a => a.GetName().Name).ToHashSet(StringComparer.Ordinal);

        // The solution is the list of what is built; a store project outside it is someone's work in progress.
        var projects = XDocument.Load(solution).Descendants("Project")
            .Select(p => (string?)p.Attribute("Path"))
            .OfType<string>()
            .Where(path => path.StartsWith("src/" + StoreAssemblyPrefix, StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .ToList();
        var unseen = projects.Where(p => !loaded.Contains(p)).ToList();

        Assert.Contains("Connector.Stores.Vdir", projects);
        Assert.True(
            unseen.Count == 0,
            "Store projects this meta-test cannot see: " + string.Join(", ", unseen)
            + ". Each src/Connector.Stores.<Name> needs tests/Connector.Stores.<Name>.Tests referencing it (found by wildcard).");
    }

    /// <summary>Every <c>Connector.Stores.*</c> assembly in the output folder, loaded.</summary>
    private static List<Assembly> LoadStoreAssemblies() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, StoreAssemblyPrefix + "*.dll")
            .Select(path => Assembly.Load(AssemblyName.GetAssemblyName(path)))
            .ToList();

    private static bool IsTestAssembly(Assembly assembly) => assembly.GetName().Name!.EndsWith(".Tests", StringComparison.Ordinal);

    /// <summary>The TStore of a concrete <see cref="ItemStoreConformanceTests{TStore}"/> subclass, or null.</summary>
    private static Type? StoreUnderTest(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ItemStoreConformanceTests<>))
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    private static string? FindSolution()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var solution = Path.Combine(dir.FullName, "Connector.slnx");
            if (File.Exists(solution))
            {
                return solution;
            }
        }

        return null;
    }
}
