namespace Culprit.Core.Domain;

/// <summary>
/// A range's <see cref="CommitGraph"/> (packed hashes, parent indexes, ancestry labels) as one binary
/// file, so a resumed job reads it back in a fraction of what <c>git rev-list</c> and the ancestry
/// walk take at a million commits. The file names the range it holds (a key the caller makes) and
/// ends with a checksum; reading gives null for any other range, version, or a damaged file, and the
/// caller lists the range again: a cache can cost time, never a decision.
/// </summary>
public static class CommitGraphFile
{
    /// <summary>Changes whenever the tables or their meaning change (the ancestry numbering included).</summary>
    private const int Version = 4;   // 2: id slots carry a tag; 3: four-lane checksum; 4: the tip-outside-paths flag
    private static readonly byte[] Magic = "CULPRIT-RANGE\n"u8.ToArray();

    /// <summary>Writes the graph (its ancestry built first, if it was not); false when its commits are not full hashes.</summary>
    public static bool Write(CommitGraph graph, string key, Stream stream)
    {
        if (!graph.CanSave)
        {
            return false;
        }
        var w = new GraphFileIo.Writer(stream);
        w.Bytes(Magic);
        w.Int(BitConverter.IsLittleEndian ? Version : -Version);
        w.Text(key);
        graph.Save(w);
        w.Finish();
        return true;
    }

    /// <summary>The graph the stream holds for <paramref name="key"/>, or null (another range or version, cut short, damaged).</summary>
    public static CommitGraph? Read(Stream stream, string key)
    {
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return Read(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), key);
    }

    /// <summary>
    /// The graph <paramref name="file"/> holds for <paramref name="key"/>, or null. Its tables are views
    /// of <paramref name="file"/>, which must stay as it is while the graph is used (a private mapping of
    /// the file, for a resumed job: nothing is copied, so a million commits load in a fraction of a second).
    /// </summary>
    public static CommitGraph? Read(Memory<byte> file, string key)
    {
        try
        {
            var r = new GraphFileIo.Reader(file);
            var magic = new byte[Magic.Length];
            r.Bytes(magic);
            if (!magic.AsSpan().SequenceEqual(Magic) || r.Int() != (BitConverter.IsLittleEndian ? Version : -Version) || r.Text() != key)
            {
                return null;
            }
            var graph = CommitGraph.Load(r);
            return r.Finish() ? graph : null;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or OutOfMemoryException)
        {
            return null;
        }
    }
}
