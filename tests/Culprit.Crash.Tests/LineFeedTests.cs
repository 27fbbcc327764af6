using System.Text;
using Culprit.Crash.Streaming;

namespace Culprit.Crash.Tests;

/// <summary>
/// The feed between a process's lines and a stream parser on another thread: the reader gets exactly
/// the lines, each with its '\n', however they are cut into blocks and reads; the writer waits while the
/// feed is full (memory stays flat); a reader that is done frees a waiting writer.
/// </summary>
public sealed class LineFeedTests
{
    [Theory]
    [InlineData(1, 64)]
    [InlineData(7, 1024)]
    [InlineData(4096, 256 * 1024)]
    public async Task The_reader_gets_every_line_in_order_whatever_its_read_size(int readSize, int maxQueuedChars)
    {
        var random = new Random(readSize);
        var lines = Enumerable.Range(0, 3000)
            .Select(i => random.Next(50) == 0 ? new string('L', random.Next(5000, 20000)) : new string((char)('a' + i % 26), random.Next(0, 90)))
            .ToList();
        var feed = new LineFeed(maxQueuedChars);

        var reading = Task.Run(() => ReadAll(feed, readSize));
        foreach (var line in lines)
        {
            feed.Add(line);
        }
        feed.Complete();

        Assert.Equal(string.Concat(lines.Select(l => l + "\n")), await reading);
    }

    [Fact]
    public async Task Lines_fewer_than_a_block_reach_the_reader_at_the_end()
    {
        var feed = new LineFeed();
        var reading = Task.Run(() => ReadAll(feed, 4096));

        feed.Add("one");
        feed.Add("");
        feed.Add("three");
        feed.Complete();

        Assert.Equal("one\n\nthree\n", await reading);
    }

    [Fact]
    public async Task A_writer_waits_while_the_feed_is_full_and_a_reader_that_is_done_frees_it()
    {
        const int maxQueuedChars = 4096;
        const int lines = 100_000;
        var feed = new LineFeed(maxQueuedChars);
        var added = 0;
        var writing = Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < lines; i++)
            {
                feed.Add("0123456789");
                Volatile.Write(ref added, i + 1);
            }
        }, TaskCreationOptions.LongRunning);

        // No one reads: the writer stops once the feed is full (it would add all 1.1 MB otherwise).
        var seen = -1;
        while (!writing.IsCompleted && Volatile.Read(ref added) != seen)
        {
            seen = Volatile.Read(ref added);
            await Task.Delay(200);
        }
        Assert.False(writing.IsCompleted);
        Assert.InRange(Volatile.Read(ref added) * 11, 0, maxQueuedChars * 2);

        feed.Abandon();
        await writing;
        Assert.Equal(lines, added);
        Assert.Equal(0, feed.Read(new char[16], 0, 16));
    }

    private static string ReadAll(LineFeed feed, int readSize)
    {
        var text = new StringBuilder();
        var buffer = new char[readSize];
        int n;
        while ((n = feed.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, n);
        }
        return text.ToString();
    }
}
