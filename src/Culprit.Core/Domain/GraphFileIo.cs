using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Culprit.Core.Domain;

/// <summary>
/// The primitives of <see cref="CommitGraphFile"/>: lengths and arrays written as they lie in memory
/// (the file is a cache for this machine, read back by the same build), each section folded into a
/// running 64-bit checksum so a torn or damaged file is told from a good one. The reader works on
/// the whole file in memory (a mapping of it, for a resumed job) and hands out the tables of a
/// mapping as views of it, not copies: at 1.3 M commits the tables are 100 MB, and filling that much
/// fresh memory took longer than everything else a resume does.
/// </summary>
internal static class GraphFileIo
{
    private const ulong Seed = 0x6a09e667f3bcc908;
    private const ulong Mix = 0x9e3779b97f4a7c15;

    /// <summary>
    /// Folds <paramref name="bytes"/> into <paramref name="sum"/>: four lanes of 8 bytes a step, so
    /// the multiplications overlap (one lane was 0.2 s for 100 MB on a slow machine), then the rest.
    /// </summary>
    public static ulong Fold(ulong sum, ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        ulong a = sum, b = sum ^ 0x243f6a8885a308d3, c = sum ^ 0x13198a2e03707344, d = sum ^ 0xa4093822299f31d0;
        var blocks = words.Length / 4 * 4;
        for (var i = 0; i < blocks; i += 4)
        {
            a = (a ^ words[i]) * Mix;
            b = (b ^ words[i + 1]) * Mix;
            c = (c ^ words[i + 2]) * Mix;
            d = (d ^ words[i + 3]) * Mix;
            a ^= a >> 29;
            b ^= b >> 29;
            c ^= c >> 29;
            d ^= d >> 29;
        }
        sum = (((a * Mix ^ b) * Mix ^ c) * Mix ^ d) * Mix;
        foreach (var w in words[blocks..])
        {
            sum = (sum ^ w) * Mix;
            sum ^= sum >> 29;
        }
        foreach (var x in bytes[(words.Length * 8)..])
        {
            sum = (sum ^ x) * Mix;
        }
        // The length too: a section cut short and its neighbour grown never add up to the same sum.
        return (sum ^ (ulong)bytes.Length) * Mix;
    }

    public sealed class Writer(Stream stream)
    {
        private ulong _sum = Seed;

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            stream.Write(bytes);
            _sum = Fold(_sum, bytes);
        }

        public void Int(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            Bytes(b);
        }

        public void Ints(ReadOnlySpan<int> values)
        {
            Int(values.Length);
            Bytes(MemoryMarshal.AsBytes(values));
        }

        public void Chunk(ReadOnlySpan<byte> bytes)
        {
            Int(bytes.Length);
            Bytes(bytes);
        }

        public void Text(string text) => Chunk(Encoding.UTF8.GetBytes(text));

        /// <summary>Ends the file with the checksum of everything before it.</summary>
        public void Finish()
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(b, _sum);
            stream.Write(b);
        }
    }

    /// <summary>
    /// Reads what <see cref="Writer"/> wrote from <paramref name="file"/>; tables and chunks are views
    /// of it. Any length the rest of the file cannot hold is <see cref="InvalidDataException"/>.
    /// </summary>
    public sealed class Reader(Memory<byte> file)
    {
        private ulong _sum = Seed;
        private int _position;

        private int Left => file.Length - _position;

        private Memory<byte> Take(int length)
        {
            var taken = file.Slice(_position, length);
            _position += length;
            _sum = Fold(_sum, taken.Span);
            return taken;
        }

        public void Bytes(Span<byte> into) => Take(into.Length).Span.CopyTo(into);

        public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4).Span);

        public Memory<int> Ints()
        {
            var n = Length(4);
            var bytes = Take(n * 4);
            return n == 0 ? Memory<int>.Empty : View<int>(bytes);
        }

        public Memory<byte> Chunk() => View<byte>(Take(Length(1)));

        public string Text() => Encoding.UTF8.GetString(Chunk().Span);

        /// <summary>Whether the checksum at the end matches what was read, and nothing follows it.</summary>
        public bool Finish()
        {
            if (Left != 8)
            {
                return false;
            }
            return BinaryPrimitives.ReadUInt64LittleEndian(file.Span[_position..]) == _sum;
        }

        private int Length(int itemSize)
        {
            if (Left < 4)
            {
                throw new InvalidDataException("the file ends inside a length");
            }
            var n = Int();
            if (n < 0 || (long)n * itemSize > Left)
            {
                throw new InvalidDataException($"a length of {n} does not fit the file");
            }
            return n;
        }
    }

    /// <summary>
    /// A table of the file as the graph keeps it: a copy when the file is an array (a stream read whole),
    /// else a view straight at its place in the mapping (<see cref="PointerView{T}"/>): a view through
    /// the file's own memory cost a chain of calls at every access, a resumed decision three times a fresh one's.
    /// </summary>
    private static Memory<T> View<T>(Memory<byte> bytes) where T : unmanaged =>
        MemoryMarshal.TryGetArray<byte>(bytes, out _)
            ? MemoryMarshal.Cast<byte, T>(bytes.Span).ToArray()
            : new PointerView<T>(bytes).Memory;

    /// <summary>
    /// Values of type <typeparamref name="T"/> at a fixed address: a mapped file's memory, which never
    /// moves (its pin is its address and costs nothing). It holds the file's memory so the mapping
    /// stays while the view is used. Unaligned values are fine on the machines .NET runs on.
    /// </summary>
    private sealed unsafe class PointerView<T> : MemoryManager<T> where T : unmanaged
    {
        private readonly Memory<byte> _file;
        private readonly T* _start;
        private readonly int _length;

        public PointerView(Memory<byte> file)
        {
            _file = file;
            using var pin = file.Pin();
            _start = (T*)pin.Pointer;
            _length = file.Length / sizeof(T);
        }

        public override Span<T> GetSpan() => new(_start, _length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(_start + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
