package dev.tributary.source.files;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the files a stream's paths name: a path, or a glob ({@code *} and {@code ?} within a folder, {@code **}
 * across folders, including none, {@code {a,b}} and {@code [abc]}), relative to the base folder or absolute.
 * Files come in sorted order of their path relative to the base folder, with '/' separators. Symbolic links to
 * folders and files are followed and named by where they are found, not by their targets.
 */
final class FileMatcher {
    /** A file found, named as origins and state name it, with the size and modification time seen. */
    record MatchedFile(String relativePath, Path path, long size, Instant modified) {}

    private FileMatcher() {}

    /** The regular files matching any of {@code patterns}, each once, sorted by relative path. */
    static List<MatchedFile> find(Path base, List<String> patterns) throws IOException {
        Map<String, MatchedFile> found = new TreeMap<>();
        for (String pattern : patterns) {
            for (MatchedFile f : find(base, pattern)) found.putIfAbsent(f.relativePath(), f);
        }
        return List.copyOf(found.values());
    }

    static List<MatchedFile> find(Path base, String pattern) throws IOException {
        String p = pattern.replace('\\', '/');
        if (!isGlob(p)) {
            Path file = base.resolve(p).normalize();
            return Files.isRegularFile(file) ? List.of(describe(base, file)) : List.of();
        }
        String[] parts = p.split("/", -1);
        int firstGlob = 0;
        while (!isGlob(parts[firstGlob])) firstGlob++;
        String fixed = String.join("/", Arrays.copyOfRange(parts, 0, firstGlob));
        Path root = fixed.isEmpty() ? (p.startsWith("/") ? Path.of("/") : base) : base.resolve(fixed).normalize();
        if (!Files.isDirectory(root)) return List.of();
        String rest = String.join("/", Arrays.copyOfRange(parts, firstGlob, parts.length));
        FileSystem fs = root.getFileSystem();
        List<PathMatcher> matchers = new ArrayList<>();
        for (String variant : variants(rest)) matchers.add(fs.getPathMatcher("glob:" + variant));
        int depth = rest.contains("**") ? Integer.MAX_VALUE : parts.length - firstGlob;
        List<Path> matched = new ArrayList<>();
        // Links are followed (a base folder or subfolder may be a link); a link back to a folder it is inside is
        // passed over, as its files are reached anyway through the real folder.
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), depth, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    Path relative = root.relativize(file);
                    if (matchers.stream().anyMatch(m -> m.matches(relative))) matched.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException) return FileVisitResult.CONTINUE;
                throw e;
            }
        });
        List<MatchedFile> out = new ArrayList<>();
        for (Path file : matched) out.add(describe(base, file));
        out.sort(Comparator.comparing(MatchedFile::relativePath));
        return out;
    }

    static boolean isGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') return true;
        }
        return false;
    }

    /** The glob with each {@code **}{@code /} both kept and dropped, so that {@code a/**}{@code /*.csv} also matches {@code a/x.csv}. */
    static List<String> variants(String glob) {
        List<String> out = new ArrayList<>();
        expand(glob, 0, out);
        return out;
    }

    private static void expand(String glob, int from, List<String> out) {
        int i = glob.indexOf("**/", from);
        if (i < 0) {
            out.add(glob);
            return;
        }
        expand(glob, i + 3, out);
        if (i == 0 || glob.charAt(i - 1) == '/') expand(glob.substring(0, i) + glob.substring(i + 3), i, out);
    }

    private static MatchedFile describe(Path base, Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Path absolute = file.toAbsolutePath().normalize();
        String relative = absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
        return new MatchedFile(relative.replace('\\', '/'), absolute, a.size(), a.lastModifiedTime().toInstant());
    }
}
