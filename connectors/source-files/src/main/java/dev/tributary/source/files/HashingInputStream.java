package dev.tributary.source.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts and hashes (SHA-256) the bytes read through it, so a file is checksummed in the pass that reads it. */
final class HashingInputStream extends FilterInputStream {
    private final MessageDigest digest = sha256();
    private long size;

    HashingInputStream(InputStream in) {
        super(in);
    }

    static HashingInputStream open(Path file) throws IOException {
        return new HashingInputStream(Files.newInputStream(file));
    }

    /** The SHA-256 of a whole file, in hex. */
    static String sha256(Path file) throws IOException {
        try (HashingInputStream in = open(file)) {
            return in.finish();
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
            size++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
            size += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skipping would leave bytes out of the checksum");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads whatever is left and returns the SHA-256 of everything, in hex; {@link #size()} is then the file size. */
    String finish() throws IOException {
        byte[] rest = new byte[1 << 16];
        while (read(rest, 0, rest.length) >= 0) {
            // only hashing
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    long size() {
        return size;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Reads the rest of the file and returns its size and SHA-256. */
    FileRowReader.FileDigest digest() throws IOException {
        String sha = finish();
        return new FileRowReader.FileDigest(size(), sha);
    }
}
