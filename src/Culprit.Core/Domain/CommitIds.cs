using System.Buffers.Binary;

namespace Culprit.Core.Domain;

/// <summary>
/// The names of a graph's commits, numbered in the order they were added. Full git hashes (40 or
/// 64 hex digits) are kept packed as bytes with an open-addressing index, so 1.3 M commits take
/// about 40 MB instead of the 200 MB their strings and a dictionary would; any other names (the
/// simulator's, tests') are kept as strings.
/// </summary>
internal sealed class CommitIds
{
    private const int ChunkBits = 16;   // packed ids live in chunks of 65,536: growth never copies

    private int _width;                 // bytes per packed id; 0 while unknown, -1 for string names
    // Arrays while the ids are being listed; views of the file for a graph read back from one.
    private readonly List<Memory<byte>> _chunks = [];
    private Memory<int> _slots = Memory<int>.Empty;   // open addressing: (index + 1) | tag, 0 = empty

    // A slot keeps 7 bits of its id beside the index, so a probe that meets another id is told
    // apart without reading that id's bytes (a cache miss each): listing 1.3 M commits made ~8 M
    // probes, most of them misses. Ids past IndexMask fall back to string names (slower, unlimited).
    private const int IndexBits = 24;
    private const int IndexMask = (1 << IndexBits) - 1;
    private List<string>? _names;
    private Dictionary<string, int>? _byName;

    /// <summary>False for a plain list (<see cref="AppendOnly"/>): ids are numbered as added, repeats included, and not indexed.</summary>
    private readonly bool _unique = true;

    public CommitIds()
    {
    }

    private CommitIds(bool unique) => _unique = unique;

    /// <summary>
    /// A list of ids kept packed but neither indexed nor deduplicated (<see cref="IndexOf"/> finds
    /// nothing): the parents a listing names, resolved against its commits once at its end. Hashing
    /// them as they came cost two random memory accesses each (and a table's regrowth).
    /// </summary>
    public static CommitIds AppendOnly() => new(unique: false);

    public int Count { get; private set; }

    /// <summary>The id's number, adding it when new (in an <see cref="AppendOnly"/> list: always adding it).</summary>
    public int Add(ReadOnlySpan<char> id)
    {
        if (_width == 0)
        {
            _width = IsFullHash(id) ? id.Length / 2 : -1;
        }
        if (_width > 0 && !(id.Length == _width * 2 && IsFullHash(id)))
        {
            ToNames();
        }
        if (_width < 0)
        {
            var found = _unique ? IndexOf(id) : -1;
            if (found >= 0)
            {
                return found;
            }
            _names ??= [];
            var name = id.ToString();
            _names.Add(name);
            if (_unique)
            {
                _byName ??= new Dictionary<string, int>(StringComparer.Ordinal);
                _byName[name] = Count;
            }
            return Count++;
        }
        Span<byte> key = stackalloc byte[_width];
        Convert.FromHexString(id, key, out _, out _);
        return AddPacked(key);
    }

    /// <summary>Adds the id <paramref name="other"/> holds at <paramref name="index"/> (both packed alike), or finds it.</summary>
    public int AddFrom(CommitIds other, int index) =>
        _width > 0 && other._width == _width ? AddPacked(other.Packed(index)) : Add(other[index]);

    private int AddPacked(ReadOnlySpan<byte> key)
    {
        if (!_unique)
        {
            if (Count >> ChunkBits == _chunks.Count)
            {
                _chunks.Add(new byte[(1 << ChunkBits) * _width]);
            }
            key.CopyTo(Slice(Count));
            return Count++;
        }
        var found = Find(key);
        if (found >= 0)
        {
            return found;
        }
        if (Count + 1 >= IndexMask)
        {
            ToNames();
            return Add(Convert.ToHexStringLower(key));
        }
        if (Count >> ChunkBits == _chunks.Count)
        {
            _chunks.Add(new byte[(1 << ChunkBits) * _width]);
        }
        key.CopyTo(Slice(Count));
        if ((Count + 1) * 2 > _slots.Length)
        {
            Rehash(Math.Max(1024, _slots.Length * 2));
        }
        Insert(Count);
        return Count++;
    }

    private int Find(ReadOnlySpan<byte> key)
    {
        if (_slots.Length == 0)
        {
            return -1;
        }
        var slots = _slots.Span;
        var mask = slots.Length - 1;
        var tag = Tag(key);
        for (var s = Slot(key) & mask; ; s = (s + 1) & mask)
        {
            var v = slots[s];
            if (v == 0)
            {
                return -1;
            }
            if ((v & ~IndexMask) == tag && Packed((v & IndexMask) - 1).SequenceEqual(key))
            {
                return (v & IndexMask) - 1;
            }
        }
    }

    /// <summary>The id's number, or -1.</summary>
    public int IndexOf(ReadOnlySpan<char> id)
    {
        if (_width < 0)
        {
            return _byName is not null && _byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out var i) ? i : -1;
        }
        if (_width == 0 || id.Length != _width * 2 || !IsFullHash(id))
        {
            return -1;
        }
        Span<byte> key = stackalloc byte[_width];
        Convert.FromHexString(id, key, out _, out _);
        return Find(key);
    }

    public string this[int index] =>
        _width < 0 ? _names![index] : Convert.ToHexStringLower(Packed(index));

    /// <summary>Ordinal order of the names (for packed hashes, the order of their bytes is the same).</summary>
    public int Compare(int a, int b) =>
        _width < 0 ? string.CompareOrdinal(_names![a], _names[b]) : Packed(a).SequenceCompareTo(Packed(b));

    /// <summary>Drops spare capacity once the graph is complete.</summary>
    public void Trim()
    {
        if (_width > 0 && _chunks.Count > 0)
        {
            var used = Count - ((_chunks.Count - 1) << ChunkBits);
            _chunks[^1] = _chunks[^1][..(used * _width)].ToArray();
        }
    }

    /// <summary>Whether the ids are packed hashes (only those are written to a graph file).</summary>
    public bool IsPacked => _width > 0;

    /// <summary>Writes packed ids and their index as they are (see <see cref="CommitGraphFile"/>).</summary>
    public void Save(GraphFileIo.Writer w)
    {
        if (!IsPacked)
        {
            throw new InvalidOperationException("only packed hashes are saved");
        }
        w.Int(_width);
        w.Int(Count);
        w.Int(_chunks.Count);
        foreach (var chunk in _chunks)
        {
            w.Chunk(chunk.Span);
        }
        w.Ints(_slots.Span);
    }

    public static CommitIds Load(GraphFileIo.Reader r)
    {
        var ids = new CommitIds { _width = r.Int(), Count = r.Int() };
        var chunks = r.Int();
        if (ids._width is not (20 or 32) || ids.Count < 0 || chunks != (ids.Count + (1 << ChunkBits) - 1) >> ChunkBits)
        {
            throw new InvalidDataException("the ids' header does not add up");
        }
        for (var k = 0; k < chunks; k++)
        {
            var chunk = r.Chunk();
            var held = Math.Min(1 << ChunkBits, ids.Count - (k << ChunkBits));
            if (chunk.Length != held * ids._width)
            {
                throw new InvalidDataException("an ids chunk has the wrong length");
            }
            ids._chunks.Add(chunk);
        }
        ids._slots = r.Ints();
        if (ids._slots.Length < ids.Count * 2 || (ids._slots.Length & (ids._slots.Length - 1)) != 0)
        {
            throw new InvalidDataException("the ids' tables do not add up");
        }
        return ids;
    }

    private ReadOnlySpan<byte> Packed(int index) => Slice(index);

    private Span<byte> Slice(int index) => _chunks[index >> ChunkBits].Span.Slice((index & ((1 << ChunkBits) - 1)) * _width, _width);

    private static int Slot(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt32LittleEndian(key) & int.MaxValue;

    /// <summary>7 bits of the id that <see cref="Slot"/> does not use, in a slot's high bits (below the sign).</summary>
    private static int Tag(ReadOnlySpan<byte> key) => (key[4] & 0x7F) << IndexBits;

    private void Insert(int index)
    {
        var slots = _slots.Span;
        var mask = slots.Length - 1;
        var key = Packed(index);
        var s = Slot(key) & mask;
        while (slots[s] != 0)
        {
            s = (s + 1) & mask;
        }
        slots[s] = (index + 1) | Tag(key);
    }

    private void Rehash(int size)
    {
        _slots = new int[size];
        for (var i = 0; i < Count; i++)
        {
            Insert(i);
        }
    }

    private void ToNames()
    {
        _names = new List<string>(Count);
        _byName = _unique ? new Dictionary<string, int>(Count, StringComparer.Ordinal) : null;
        for (var i = 0; i < Count; i++)
        {
            var name = this[i];
            _names.Add(name);
            _byName?[name] = i;
        }
        _width = -1;
        _chunks.Clear();
        _slots = Memory<int>.Empty;
    }

    private static bool IsFullHash(ReadOnlySpan<char> id) =>
        id.Length is 40 or 64 && !id.ContainsAnyExcept(LowerHex);

    /// <summary>Lower-case hex digits, searched vectorised: a char-by-char check was a quarter of listing 1.3 M commits.</summary>
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");
}
