using Vigil.Core.People;

namespace Vigil.Core.Tests.People;

/// <summary>The CSV reader streams: it never holds the whole file, so a large import needs memory for one record, not the file.</summary>
public sealed class CsvReaderTests
{
    [Fact]
    public void Records_come_while_the_file_is_still_being_read()
    {
        using var source = new EndlessStaffReader();

        var first = CsvReader.Read(source).Take(3).ToList();

        Assert.Equal(["email", "name"], first[0].Fields);
        Assert.Equal(["person0@acme.test", "Person 0"], first[1].Fields);
        Assert.Equal(3, first[2].Line);
        Assert.True(source.CharactersRead < 10_000, $"read {source.CharactersRead} characters for 3 records");
    }

    [Fact]
    public void Lines_quotes_crlf_and_a_byte_order_mark_read_as_before()
    {
        var records = CsvReader.Read(new StringReader("\uFEFFa,b\r\n\"multi\nline\",\"x \"\"q\"\" \"\r\n\n c , d \n\"open")).ToList();

        Assert.Equal(4, records.Count);
        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["multi\nline", "x \"q\" "], records[1].Fields);
        Assert.Equal(5, records[2].Line);
        Assert.Equal(["c", "d"], records[2].Fields);
        Assert.Equal(6, records[3].Line);
        Assert.Equal("quoted field opened on line 6 is never closed", records[3].Error);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error_and_reading_goes_on_at_the_next_line()
    {
        var records = CsvReader.Read(new StringReader("\"a\"x,b\nc,d\n")).ToList();

        Assert.Equal("unexpected 'x' after a closing quote in field 1", records[0].Error);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["c", "d"], records[1].Fields);
    }

    /// <summary>A header and then people without end; ReadToEnd would never return.</summary>
    private sealed class EndlessStaffReader : TextReader
    {
        private string _pending = "email,name\n";
        private int _position;
        private int _next;

        public long CharactersRead { get; private set; }

        public override int Peek()
        {
            Fill();
            return _pending[_position];
        }

        public override int Read()
        {
            Fill();
            CharactersRead++;
            return _pending[_position++];
        }

        public override string ReadToEnd() => throw new InvalidOperationException("the reader must not read the whole file");

        private void Fill()
        {
            if (_position < _pending.Length)
            {
                return;
            }

            _pending = $"person{_next}@acme.test,Person {_next}\n";
            _next++;
            _position = 0;
        }
    }
}
