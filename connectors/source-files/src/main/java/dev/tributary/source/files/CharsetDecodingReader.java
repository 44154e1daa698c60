package dev.tributary.source.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes bytes strictly. Unlike {@link java.io.InputStreamReader} it first hands out every character decoded
 * before a malformed byte sequence and only then throws, so the caller knows the exact line of the bad bytes.
 */
final class CharsetDecodingReader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private boolean eof;
    private boolean decoded;
    private boolean flushed;
    private CoderResult pendingError;

    CharsetDecodingReader(InputStream in, Charset charset) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (pendingError != null) pendingError.throwException();
        if (flushed) return -1;
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (out.hasRemaining()) {
            if (decoded) {
                flushed = decoder.flush(out).isUnderflow();
                break;
            }
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isError()) {
                if (out.position() > off) {
                    pendingError = result;
                    break;
                }
                result.throwException();
            }
            if (result.isOverflow()) break;
            if (eof) {
                decoded = true;
                continue;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                eof = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }
        int n = out.position() - off;
        return n == 0 && flushed ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
