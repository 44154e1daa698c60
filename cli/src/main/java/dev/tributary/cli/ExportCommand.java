package dev.tributary.cli;

import dev.tributary.project.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary export MODEL PATH [--partition-by COL,...]}: what a pipeline's export step does, from the command
 * line. Exit code 0; 1 when the export fails (what it committed stays); 2 for a bad model, column or path.
 */
@Command(name = "export", description = {"Export a model or table (connection.table) to a Parquet or CSV file, or as partitioned Parquet.",
        "With --partition-by: Hive folders (col=value/), each swapped in by its _SUCCESS manifest, in a folder or s3://bucket/prefix."})
final class ExportCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    TributaryCommand root;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model, or a synced table as connection.table.")
    String model;

    @Parameters(index = "1", paramLabel = "PATH", description = "A file (.parquet, .csv), or with --partition-by a folder or s3://bucket/prefix; relative to the project.")
    String path;

    @Option(names = "--partition-by", split = ",", paramLabel = "COLUMN", description = "Partition columns, outermost first: --partition-by tenant,stream.")
    List<String> partitionBy = new ArrayList<>();

    @Option(names = "--keep-other-partitions", description = "Leave partitions the model has no rows for as they are (default: remove them).")
    boolean keepOtherPartitions;

    @Option(names = "--format", description = "parquet or csv (default: from the file name; partitioned exports are parquet).")
    String format;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "An S3-compatible endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS).")
    String s3Endpoint;

    @Option(names = "--s3-region", description = "The bucket's region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1).")
    String s3Region;

    @Option(names = "--s3-path-style", negatable = true, description = "Path-style addressing (default: on when an endpoint is set).")
    Boolean s3PathStyle;

    @Override
    public Integer call() throws Exception {
        Project project = Project.load(root.projectDir, root.environment, root.connectors);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("model", model);
        options.put("path", path);
        boolean s3 = path.regionMatches(true, 0, "s3://", 0, 5);
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (partitionBy.isEmpty()) {
            if (s3) throw new CommandLine.ParameterException(spec.commandLine(), "an s3:// export is partitioned: add --partition-by (e.g. tenant,stream)");
            String f = format != null ? format : lower.endsWith(".csv") ? "csv" : lower.endsWith(".parquet") ? "parquet" : null;
            if (f == null) throw new CommandLine.ParameterException(spec.commandLine(), "give --format when PATH does not end in .parquet or .csv");
            options.put("format", f.toLowerCase(java.util.Locale.ROOT));
        } else {
            if (format != null && !format.equalsIgnoreCase("parquet")) throw new CommandLine.ParameterException(spec.commandLine(), "partitioned exports write parquet");
            if (lower.endsWith(".parquet")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "a partitioned export writes a folder of col=value/ folders; give a folder or s3://bucket/prefix");
            }
            options.put("partition_by", String.join(",", partitionBy));
            options.put("keep_other_partitions", Boolean.toString(keepOtherPartitions));
        }
        if (s3Endpoint != null) options.put("s3.endpoint", s3Endpoint);
        if (s3Region != null) options.put("s3.region", s3Region);
        if (s3PathStyle != null) options.put("s3.path_style", s3PathStyle.toString());
        String summary = ModelExport.run(project, options, "export", line -> spec.commandLine().getErr().println(line), () -> true);
        spec.commandLine().getOut().println(summary);
        return ExitCode.OK;
    }
}
