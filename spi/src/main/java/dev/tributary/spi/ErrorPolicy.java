package dev.tributary.spi;

/** What happens to a record that cannot be read or stored: fail the stream, or set it aside as a reject. */
public enum ErrorPolicy { FAIL, REJECT }
