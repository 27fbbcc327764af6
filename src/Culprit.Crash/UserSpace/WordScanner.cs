namespace Culprit.Crash.UserSpace;

/// <summary>
/// Finds which of up to 128 ASCII words occur in a line, in one left-to-right pass: an Aho-Corasick
/// automaton compiled to a full transition table over the words' own characters (any other character
/// cannot be part of a word, so it sends the scan back to the start). One table step per character
/// replaces one multi-string search per rule group; on a sanitizer log's short lines that is what
/// the parser's time went to.
/// </summary>
internal sealed class WordScanner
{
    private readonly string[] _words;
    private readonly byte[] _class = new byte[128];
    private readonly int _classes;
    // The row (state × classes) of the next state, by row and character class.
    private readonly int[] _next;
    private readonly int _firstWordRow;
    private readonly UInt128[] _found;

    public WordScanner(IReadOnlyList<string> words)
    {
        if (words.Count > 128)
            throw new ArgumentException($"{words.Count} words; at most 128 fit the mask", nameof(words));
        _words = [.. words];
        // Character classes: 0 for characters in no word, then one per distinct word character.
        foreach (string w in _words)
        {
            foreach (char c in w)
            {
                if (c >= 128 || c == 0)
                    throw new ArgumentException($"word [{w}] is not printable ASCII", nameof(words));
                if (_class[c] == 0)
                    _class[c] = (byte)++_classes;
            }
        }
        _classes++;

        // The trie.
        var children = new List<Dictionary<int, int>> { new() };
        var found = new List<UInt128> { 0 };
        var depth = new List<int> { 0 };
        for (int i = 0; i < _words.Length; i++)
        {
            int state = 0;
            foreach (char c in _words[i])
            {
                int k = _class[c];
                if (!children[state].TryGetValue(k, out int child))
                {
                    child = children.Count;
                    children.Add([]);
                    found.Add(0);
                    depth.Add(depth[state] + 1);
                    children[state][k] = child;
                }
                state = child;
            }
            found[state] |= UInt128.One << i;
        }

        // Breadth first: each state's failure link, its outputs joined with its failure's, and its
        // full row of transitions.
        var next = new int[children.Count * _classes];
        var fail = new int[children.Count];
        var queue = new Queue<int>();
        for (int k = 1; k < _classes; k++)
        {
            if (children[0].TryGetValue(k, out int child))
            {
                next[k] = child;
                queue.Enqueue(child);
            }
        }
        while (queue.Count > 0)
        {
            int state = queue.Dequeue();
            found[state] |= found[fail[state]];
            for (int k = 1; k < _classes; k++)
            {
                if (children[state].TryGetValue(k, out int child))
                {
                    fail[child] = next[fail[state] * _classes + k];
                    next[state * _classes + k] = child;
                    queue.Enqueue(child);
                }
                else
                {
                    next[state * _classes + k] = next[fail[state] * _classes + k];
                }
            }
        }
        // States that complete a word are numbered last, so the scan tells them by a comparison made
        // beside its chain of table loads rather than in it. The others are numbered by depth: a scan
        // spends nearly all its steps in the shallow states (a word's first letters), whose rows then
        // lie together at the start of the table and stay in the processor's nearest cache.
        var order = Enumerable.Range(0, children.Count).OrderBy(st => found[st] != 0 ? 1 : 0).ThenBy(st => depth[st]).ThenBy(st => st).ToArray();
        var number = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
            number[order[i]] = i;
        _firstWordRow = order.Count(st => found[st] == 0) * _classes;
        _next = new int[next.Length];
        _found = new UInt128[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            int st = order[i];
            _found[i] = found[st];
            // Column 0 (a character in no word) stays 0: back to the start.
            for (int k = 1; k < _classes; k++)
                _next[i * _classes + k] = number[next[st * _classes + k]] * _classes;
        }
    }

    /// <summary>The bit of <paramref name="word"/> in a scan's result.</summary>
    public UInt128 Bit(string word)
    {
        int i = Array.IndexOf(_words, word);
        if (i < 0)
            throw new ArgumentException($"[{word}] is not one of the words", nameof(word));
        return UInt128.One << i;
    }

    /// <summary>The bits of <paramref name="words"/> in a scan's result.</summary>
    public UInt128 Bits(IEnumerable<string> words)
    {
        UInt128 bits = 0;
        foreach (string w in words)
            bits |= Bit(w);
        return bits;
    }

    /// <summary>Bit i set when word i occurs in <paramref name="line"/>.</summary>
    public UInt128 Scan(ReadOnlySpan<char> line)
    {
        var next = _next;
        var cls = _class;
        var foundAt = _found;
        int classes = _classes;
        int firstWordRow = _firstWordRow;
        int row = 0;
        UInt128 found = 0;
        foreach (char c in line)
        {
            row = next[row + (c < 128 ? cls[c] : 0)];
            if (row >= firstWordRow)
                found |= foundAt[row / classes];
        }
        return found;
    }

    /// <summary>
    /// <see cref="Scan"/> of two lines at once: the two chains of table loads are independent, so the
    /// processor runs them side by side, where one line's scan waits on each load in turn.
    /// </summary>
    public (UInt128 First, UInt128 Second) Scan(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        var next = _next;
        var cls = _class;
        var foundAt = _found;
        int classes = _classes;
        int firstWordRow = _firstWordRow;
        int rowA = 0, rowB = 0;
        UInt128 foundA = 0, foundB = 0;
        int both = Math.Min(first.Length, second.Length);
        for (int i = 0; i < both; i++)
        {
            char a = first[i], b = second[i];
            rowA = next[rowA + (a < 128 ? cls[a] : 0)];
            rowB = next[rowB + (b < 128 ? cls[b] : 0)];
            if (rowA >= firstWordRow)
                foundA |= foundAt[rowA / classes];
            if (rowB >= firstWordRow)
                foundB |= foundAt[rowB / classes];
        }
        for (int i = both; i < first.Length; i++)
        {
            char a = first[i];
            rowA = next[rowA + (a < 128 ? cls[a] : 0)];
            if (rowA >= firstWordRow)
                foundA |= foundAt[rowA / classes];
        }
        for (int i = both; i < second.Length; i++)
        {
            char b = second[i];
            rowB = next[rowB + (b < 128 ? cls[b] : 0)];
            if (rowB >= firstWordRow)
                foundB |= foundAt[rowB / classes];
        }
        return (foundA, foundB);
    }
}
