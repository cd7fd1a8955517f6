using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

// Marks every method of the given assemblies MethodImplOptions.AggressiveOptimization (why: ../OptimizeAtFirstCall.targets).
// The flag is set in place in each MethodDef row; nothing else in the image moves, so the PDB still matches.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: OptimizeAtFirstCall <assembly.dll>...");
    return 2;
}
foreach (var path in args)
{
    var marked = MarkMethods(path);
    Console.WriteLine($"{Path.GetFileName(path)}: {marked} method(s) marked AggressiveOptimization");
}
return 0;

static int MarkMethods(string path)
{
    var image = File.ReadAllBytes(path);
    var marked = 0;
    using (var pe = new PEReader(new MemoryStream(image)))
    {
        var metadata = pe.GetMetadataReader();
        var table = pe.PEHeaders.MetadataStartOffset + metadata.GetTableMetadataOffset(TableIndex.MethodDef);
        var rowSize = metadata.GetTableRowSize(TableIndex.MethodDef);
        const int implFlagsColumn = 4; // a MethodDef row starts with its RVA (4 bytes), then ImplFlags (2 bytes)
        const ushort flag = (ushort)MethodImplAttributes.AggressiveOptimization;
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            // No IL (abstract, extern, delegate plumbing), or code that asked not to be optimized: left as it is.
            if (method.RelativeVirtualAddress == 0 || (method.ImplAttributes & MethodImplAttributes.NoOptimization) != 0) continue;
            var offset = table + (MetadataTokens.GetRowNumber(handle) - 1) * rowSize + implFlagsColumn;
            var flags = (ushort)(image[offset] | image[offset + 1] << 8);
            if ((flags & flag) != 0) continue;
            flags |= flag;
            image[offset] = (byte)flags;
            image[offset + 1] = (byte)(flags >> 8);
            marked++;
        }
    }
    if (marked > 0) File.WriteAllBytes(path, image);
    return marked;
}
