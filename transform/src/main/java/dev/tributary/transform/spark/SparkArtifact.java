package dev.tributary.transform.spark;

import java.util.ArrayList;
import java.util.List;

/**
 * One jar of Spark's classpath, by Maven coordinates.
 *
 * @param group the group id
 * @param artifact the artifact id
 * @param classifier the classifier, empty when none
 * @param version the version
 */
public record SparkArtifact(String group, String artifact, String classifier, String version) {
    /** The jar's path in a Maven repository: {@code org/apache/spark/spark-core_2.13/4.1.3/spark-core_2.13-4.1.3.jar}. */
    public String path() {
        return group.replace('.', '/') + "/" + artifact + "/" + version + "/" + artifact + "-" + version
                + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar";
    }

    @Override
    public String toString() {
        return group + ":" + artifact + ":" + version + (classifier.isEmpty() ? "" : ":" + classifier);
    }

    /**
     * The artifacts of a {@code mvn dependency:list} listing (lines {@code g:a:jar[:classifier]:version -- module x});
     * other lines are skipped.
     */
    public static List<SparkArtifact> parseListing(String listing) {
        List<SparkArtifact> out = new ArrayList<>();
        for (String raw : listing.split("\n")) {
            String line = raw.strip();
            int comment = line.indexOf(" -- ");
            if (comment >= 0) line = line.substring(0, comment).strip();
            String[] p = line.split(":");
            if (p.length == 4 && p[2].equals("jar")) out.add(new SparkArtifact(p[0], p[1], "", p[3]));
            else if (p.length == 5 && p[2].equals("jar")) out.add(new SparkArtifact(p[0], p[1], p[3], p[4]));
        }
        return out;
    }
}
