using System.Text;

namespace Culprit.Machines;

/// <summary>
/// Writes a cpio archive in the "newc" format the kernel unpacks into its initramfs. Every entry gets
/// uid/gid 0 and mtime 0, and inode numbers count up in the order entries are added, so the same
/// entries in the same order always give the same bytes. Writing it ourselves also lets us add the
/// <c>/dev/console</c> device node without being root.
/// </summary>
public sealed class NewcArchive(Stream output)
{
    private const int TypeDirectory = 0x4000;
    private const int TypeRegular = 0x8000;
    private const int TypeSymlink = 0xA000;
    private const int TypeCharDevice = 0x2000;

    private int _nextInode = 1;
    private long _offset;

    public void AddDirectory(string name, int permissions = 0b111_101_101) =>
        Write(name, TypeDirectory | permissions, links: 2, [], 0, 0);

    public void AddFile(string name, ReadOnlySpan<byte> content, int permissions = 0b110_100_100) =>
        Write(name, TypeRegular | permissions, links: 1, content, 0, 0);

    public void AddSymlink(string name, string target) =>
        Write(name, TypeSymlink | 0b111_111_111, links: 1, Encoding.UTF8.GetBytes(target), 0, 0);

    public void AddCharDevice(string name, int major, int minor, int permissions = 0b110_000_000) =>
        Write(name, TypeCharDevice | permissions, links: 1, [], major, minor);

    /// <summary>Writes the trailer entry that ends the archive.</summary>
    public void Finish()
    {
        _nextInode = 0;
        Write("TRAILER!!!", 0, links: 1, [], 0, 0);
    }

    private void Write(string name, int mode, int links, ReadOnlySpan<byte> content, int rdevMajor, int rdevMinor)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name.TrimStart('/'));
        var header = new StringBuilder("070701");
        foreach (var field in new long[]
                 {
                     _nextInode == 0 ? 0 : _nextInode++, mode, 0, 0, links, 0, content.Length, 0, 0, rdevMajor, rdevMinor,
                     nameBytes.Length + 1, 0,
                 })
        {
            header.Append(field.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
        }
        Put(Encoding.ASCII.GetBytes(header.ToString()));
        Put(nameBytes);
        Put([0]);
        Pad();
        Put(content);
        Pad();
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        _offset += bytes.Length;
    }

    // newc aligns both the header+name and the file data to 4 bytes.
    private void Pad()
    {
        Span<byte> zeros = stackalloc byte[3];
        zeros.Clear();
        Put(zeros[..(int)((4 - _offset % 4) % 4)]);
    }
}
