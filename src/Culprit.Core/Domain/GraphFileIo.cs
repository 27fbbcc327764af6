using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Culprit.Core.Domain;

/// <summary>
/// The primitives of <see cref="CommitGraphFile"/>: lengths and arrays written as they lie in memory
/// (the file is a cache for this machine, read back by the same build), each byte folded into a
/// running 64-bit checksum so a torn or damaged file is told from a good one.
/// </summary>
internal static class GraphFileIo
{
    private const ulong Seed = 0x6a09e667f3bcc908;
    private const ulong Mix = 0x9e3779b97f4a7c15;

    /// <summary>Folds <paramref name="bytes"/> into <paramref name="sum"/> (8 bytes a step; cheap next to reading them).</summary>
    public static ulong Fold(ulong sum, ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (var w in words)
        {
            sum = (sum ^ w) * Mix;
            sum ^= sum >> 29;
        }
        foreach (var b in bytes[(words.Length * 8)..])
        {
            sum = (sum ^ b) * Mix;
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

    /// <summary>Reads what <see cref="Writer"/> wrote; any length the rest of the file cannot hold is <see cref="InvalidDataException"/>.</summary>
    public sealed class Reader(Stream stream)
    {
        private ulong _sum = Seed;
        private readonly long _length = stream.Length;

        private long Left => _length - stream.Position;

        public void Bytes(Span<byte> into)
        {
            stream.ReadExactly(into);
            _sum = Fold(_sum, into);
        }

        public int Int()
        {
            Span<byte> b = stackalloc byte[4];
            Bytes(b);
            return BinaryPrimitives.ReadInt32LittleEndian(b);
        }

        public int[] Ints()
        {
            var n = Length(4);
            var values = new int[n];
            Bytes(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        public byte[] Chunk()
        {
            var bytes = new byte[Length(1)];
            Bytes(bytes);
            return bytes;
        }

        public string Text() => Encoding.UTF8.GetString(Chunk());

        /// <summary>Whether the checksum at the end matches what was read, and nothing follows it.</summary>
        public bool Finish()
        {
            Span<byte> b = stackalloc byte[8];
            stream.ReadExactly(b);
            return BinaryPrimitives.ReadUInt64LittleEndian(b) == _sum && Left == 0;
        }

        private int Length(int itemSize)
        {
            var n = Int();
            if (n < 0 || (long)n * itemSize > Left)
            {
                throw new InvalidDataException($"a length of {n} does not fit the file");
            }
            return n;
        }
    }
}
