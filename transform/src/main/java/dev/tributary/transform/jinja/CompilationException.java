package dev.tributary.transform.jinja;

/** A Jinja error in a file, with the line it was found on (0 when unknown). */
public class CompilationException extends RuntimeException {
    private final String file;
    private final int line;
    private final String problem;

    public CompilationException(String file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public String file() { return file; }
    public int line() { return line; }
    public String problem() { return problem; }
}
