using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Culprit.Git;

/// <summary>
/// A file mapped privately into memory (copy-on-write: nothing written through it reaches the file),
/// seen as <see cref="Memory{T}"/>. Pages come from the page cache as they are touched, so reading a
/// 100 MB range cache costs what touching it costs, not what filling 100 MB of fresh memory does
/// (0.35 s on a slow virtual machine). The mapping stays while anything holds its memory and is
/// released with the last of it.
/// </summary>
internal sealed unsafe class MappedFile : MemoryManager<byte>
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly int _length;
    private int _released;

    private MappedFile(MemoryMappedFile file, MemoryMappedViewAccessor view, int length)
    {
        (_file, _view, _length) = (file, view, length);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _start = pointer + view.PointerOffset;
    }

    // CA2015 warns that a span may outlive its manager; the spans here are views a graph's tables
    // take for one call of their own, and a graph in use is held by its job for the job's whole run.
#pragma warning disable CA2015
    ~MappedFile() => Dispose(false);
#pragma warning restore CA2015

    /// <summary>The file mapped, or null when it is missing, empty, too large for one view, or cannot be mapped.</summary>
    public static MappedFile? Open(string path)
    {
        MemoryMappedFile? file = null;
        try
        {
            var length = new FileInfo(path).Length;
            if (length is 0 or > int.MaxValue)
            {
                return null;
            }
            file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.CopyOnWrite);
            return new MappedFile(file, file.CreateViewAccessor(0, length, MemoryMappedFileAccess.CopyOnWrite), (int)length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            file?.Dispose();
            return null;
        }
    }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
        return new Span<byte>(_start, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0) => new(_start + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }
        // In the finalizer too: the handle's own (critical) finalizer runs after this one and unmaps.
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        if (disposing)
        {
            _view.Dispose();
            _file.Dispose();
        }
    }
}
