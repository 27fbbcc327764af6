namespace Culprit.Machines;

/// <summary>
/// Just enough of the ELF header to tell whether a file is an executable the initramfs can run:
/// no program interpreter (PT_INTERP) means statically linked, since the VM has no libc.
/// </summary>
internal sealed record ElfFile(bool Is64Bit, ushort Machine, bool HasInterpreter)
{
    public const ushort MachineX86 = 3;
    public const ushort MachineX86_64 = 62;
    private const uint PtInterp = 3;

    public bool IsStatic => !HasInterpreter;

    public bool RunsOnX86 => Machine is MachineX86 or MachineX86_64;

    public static bool HasElfMagic(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == 0x7f && head[1] == (byte)'E' && head[2] == (byte)'L' && head[3] == (byte)'F';

    /// <summary>Reads a little-endian ELF file's header and program headers; null when it is not one.</summary>
    public static ElfFile? Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 52 || !HasElfMagic(bytes) || bytes[5] != 1)
        {
            return null;
        }
        var is64 = bytes[4] == 2;
        var span = bytes.AsSpan();
        var machine = U16(span, 18);
        long phoff = is64 ? (long)U64(span, 32) : U32(span, 28);
        int phentsize = U16(span, is64 ? 54 : 42);
        int phnum = U16(span, is64 ? 56 : 44);
        var interp = false;
        for (var i = 0; i < phnum; i++)
        {
            var at = phoff + (long)i * phentsize;
            if (at < 0 || at + 4 > bytes.Length)
            {
                return null;
            }
            interp |= U32(span, (int)at) == PtInterp;
        }
        return new ElfFile(is64, machine, interp);
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

    private static uint U32(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

    private static ulong U64(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
